# ruff: noqa: E501  (long Vietnamese content lines read better unbroken)
"""Demo course: oral propaganda and talking with workers."""

ORAL = {
    "slug": "tuyen-truyen-mieng",
    "title": "Tuyên truyền miệng và nói chuyện với công nhân",
    "topic": "Kỹ năng nói",
    "hours": 4,
    "summary": (
        "Chuẩn bị và trình bày một buổi nói chuyện ngắn với công nhân tại xưởng, nhà ăn ca, khu nhà trọ: "
        "hiểu người nghe, xây dựng thông điệp, kể chuyện bằng ví dụ thật, trả lời câu hỏi khó."
    ),
    "objectives": (
        "<ul><li>Phân tích đặc điểm người nghe là công nhân, lao động trẻ, lao động nhập cư.</li>"
        "<li>Xây dựng dàn ý 10 phút với một thông điệp chính.</li>"
        "<li>Sử dụng giọng nói, ánh mắt, ví dụ gần gũi.</li><li>Xử lý câu hỏi khó, ý kiến trái chiều một cách bình tĩnh.</li></ul>"
    ),
    "lessons": [
        {
            "slug": "hieu-nguoi-nghe",
            "title": "Hiểu người nghe: công nhân nghĩ gì, cần gì",
            "minutes": 12,
            "blocks": [
                (
                    "p",
                    "<p>Tuyên truyền miệng là kênh truyền thống nhưng vẫn hiệu quả nhất để chạm tới người lao động, "
                    "nhất là ở các doanh nghiệp đông công nhân. Một cuộc trò chuyện trực tiếp tạo lòng tin mà không bài đăng nào thay được.</p>",
                ),
                (
                    "p",
                    "<p>Trước mỗi buổi nói chuyện, báo cáo viên, tuyên truyền viên hãy trả lời ba câu hỏi: "
                    "<strong>Ai nghe?</strong> (tuổi, quê quán, ca làm việc) — <strong>Họ đang lo gì?</strong> (việc làm, thu nhập, nhà ở, con đi học) — "
                    "<strong>Sau buổi nói chuyện họ cần biết và làm gì?</strong></p>",
                ),
                ("h", "Thời điểm và địa điểm"),
                (
                    "p",
                    "<p>Công nhân làm ca thường chỉ có 15–20 phút nghỉ. Một buổi nói chuyện ngắn tại nhà ăn ca, đầu giờ họp tổ "
                    "hoặc buổi tối ở khu nhà trọ thường hiệu quả hơn một hội nghị dài trong hội trường.</p>",
                ),
                (
                    "tip",
                    "Lắng nghe trước khi nói",
                    "<p>Dành vài phút hỏi chuyện tổ trưởng sản xuất, chị em trong tổ: dạo này mọi người bàn tán chuyện gì? "
                    "Những băn khoăn thật sẽ là chất liệu tốt nhất cho bài nói.</p>",
                ),
                (
                    "p",
                    "<p>Người nghe tin người nói khi người nói hiểu cuộc sống của họ. Hãy dùng từ ngữ của người lao động, "
                    "tránh thuật ngữ hành chính như “quán triệt”, “triển khai sâu rộng” khi có thể nói đơn giản hơn.</p>",
                ),
            ],
        },
        {
            "slug": "xay-dung-bai-noi",
            "title": "Xây dựng bài nói 10 phút với một thông điệp chính",
            "minutes": 15,
            "blocks": [
                (
                    "p",
                    "<p>Một bài nói ngắn chỉ nên có <strong>một thông điệp chính</strong> và tối đa ba ý hỗ trợ. "
                    "Nếu người nghe chỉ nhớ được một câu khi ra về, đó phải là câu nào?</p>",
                ),
                ("h", "Dàn ý 3 phần"),
                (
                    "p",
                    "<ol><li><strong>Mở (1 phút)</strong>: một câu hỏi hoặc một câu chuyện thật để gây chú ý.</li>"
                    "<li><strong>Thân (7 phút)</strong>: ba ý, mỗi ý một ví dụ hoặc con số gần gũi.</li>"
                    "<li><strong>Kết (2 phút)</strong>: nhắc lại thông điệp, nói rõ việc cần làm và người liên hệ.</li></ol>",
                ),
                (
                    "note",
                    "Ví dụ thông điệp",
                    "<p>“Tham gia bảo hiểm xã hội đầy đủ là để chính bạn có lương hưu và được hỗ trợ khi ốm đau, thai sản.” "
                    "Các ý hỗ trợ: chế độ thai sản, ốm đau; rút bảo hiểm một lần thiệt thòi thế nào; cách tra cứu quá trình đóng trên ứng dụng VssID.</p>",
                ),
                (
                    "p",
                    "<p>Con số phải chính xác và có nguồn. Câu chuyện nên là chuyện thật của người thật trong doanh nghiệp "
                    "(đã được họ đồng ý), vì người nghe dễ đồng cảm với đồng nghiệp của mình.</p>",
                ),
                (
                    "tip",
                    "Chuẩn bị",
                    "<p>Viết dàn ý lên một tấm thẻ nhỏ, tập nói thành tiếng hai lần và canh giờ. Không đọc nguyên văn bài viết sẵn.</p>",
                ),
            ],
        },
        {
            "slug": "giong-noi-cu-chi",
            "title": "Giọng nói, ánh mắt và cử chỉ",
            "minutes": 10,
            "blocks": [
                (
                    "p",
                    "<p>Cách nói quan trọng không kém nội dung. Nói chậm hơn bình thường một chút, ngắt nghỉ sau mỗi ý, "
                    "nhấn giọng ở từ khóa. Ở nơi ồn như xưởng sản xuất, hãy đứng gần người nghe thay vì nói to.</p>",
                ),
                (
                    "p",
                    "<p>Nhìn vào người nghe, lần lượt từng nhóm; mỉm cười khi chào. Tay để tự nhiên, có thể dùng cử chỉ đếm "
                    "“thứ nhất, thứ hai, thứ ba” giúp người nghe theo dõi.</p>",
                ),
                (
                    "warning",
                    "Những thói quen cần bỏ",
                    "<ul><li>Đọc nguyên văn giấy, không nhìn người nghe.</li><li>Nói “ờ, à” liên tục.</li>"
                    "<li>Khoanh tay, chỉ tay vào người nghe.</li><li>Nói quá giờ nghỉ của công nhân.</li></ul>",
                ),
                (
                    "p",
                    "<p>Nếu có thể, nhờ một đồng nghiệp quay video buổi tập bằng điện thoại rồi cùng xem lại. "
                    "Đây là cách tự sửa nhanh nhất.</p>",
                ),
            ],
        },
        {
            "slug": "cau-hoi-kho",
            "title": "Trả lời câu hỏi khó và ý kiến trái chiều",
            "minutes": 12,
            "blocks": [
                (
                    "p",
                    "<p>Câu hỏi khó là dấu hiệu người nghe quan tâm. Đừng né tránh. Hãy nghe hết câu hỏi, "
                    "nhắc lại ngắn gọn để chắc chắn mình hiểu đúng, rồi mới trả lời.</p>",
                ),
                ("h", "Khi chưa biết câu trả lời"),
                (
                    "p",
                    "<p>Nói thật: “Câu này tôi cần hỏi lại phòng nhân sự/Liên đoàn Lao động quận, thứ Sáu tôi sẽ trả lời anh chị.” "
                    "Ghi lại tên người hỏi và giữ lời hứa. Một câu trả lời đúng hẹn xây dựng uy tín hơn mười câu trả lời vội.</p>",
                ),
                (
                    "p",
                    "<p>Với ý kiến gay gắt, giữ bình tĩnh, ghi nhận cảm xúc (“Tôi hiểu anh chị rất bức xúc về việc chậm lương”), "
                    "tách vấn đề khỏi con người, và hẹn trao đổi riêng nếu vấn đề liên quan cá nhân.</p>",
                ),
                (
                    "tip",
                    "Sau buổi nói chuyện",
                    "<p>Tổng hợp các câu hỏi, ý kiến nổi bật gửi ban chấp hành. Đây là nguồn thông tin dư luận xã hội quý, "
                    "đúng với nhiệm vụ của cộng tác viên dư luận xã hội.</p>",
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Bài kiểm tra: Tuyên truyền miệng",
        "questions": [
            (
                "single",
                "Một bài nói ngắn 10 phút nên có bao nhiêu thông điệp chính?",
                ["Một", "Ba", "Năm", "Càng nhiều càng tốt"],
                0,
                "Một thông điệp chính, tối đa ba ý hỗ trợ.",
            ),
            (
                "tf",
                "Khi chưa biết câu trả lời, nên trả lời đại để giữ thể diện.",
                "false",
                "Hãy hẹn trả lời sau và giữ lời hứa.",
            ),
            (
                "multi",
                "Ba câu hỏi cần trả lời trước buổi nói chuyện là gì?",
                [
                    "Ai nghe?",
                    "Họ đang lo gì?",
                    "Họ cần biết và làm gì sau buổi nói chuyện?",
                    "Hội trường có bao nhiêu ghế?",
                ],
                {0, 1, 2},
                "partial",
                "Hiểu người nghe, mối quan tâm của họ và mục tiêu của buổi nói chuyện.",
            ),
            (
                "single",
                "Ở xưởng sản xuất ồn ào, cách tốt nhất để người nghe nghe rõ là",
                ["Đứng gần người nghe", "Hét thật to", "Phát tài liệu rồi về", "Nói nhanh cho kịp giờ"],
                0,
                "Đứng gần, nói chậm và rõ.",
            ),
            (
                "tf",
                "Câu chuyện thật của đồng nghiệp (đã được đồng ý) giúp người nghe dễ đồng cảm.",
                "true",
                "Người nghe gần gũi với chuyện của chính đồng nghiệp mình.",
            ),
            (
                "single",
                "Phần kết của bài nói nên có",
                [
                    "Nhắc lại thông điệp và việc cần làm",
                    "Một chủ đề mới",
                    "Danh sách văn bản pháp luật",
                    "Lời xin lỗi vì nói dài",
                ],
                0,
                "Kết thúc bằng thông điệp và hành động cụ thể.",
            ),
            (
                "multi",
                "Thói quen nào cần bỏ khi nói trước công nhân?",
                ["Đọc nguyên văn giấy", "Nói quá giờ nghỉ", "Nhìn vào người nghe", "Ngắt nghỉ sau mỗi ý"],
                {0, 1},
                "all_or_nothing",
                "Nhìn người nghe và ngắt nghỉ là thói quen tốt.",
            ),
            (
                "short",
                "Ứng dụng của Bảo hiểm xã hội Việt Nam để tra cứu quá trình đóng bảo hiểm có tên là gì?",
                ["VssID"],
                True,
                "Ứng dụng VssID – Bảo hiểm xã hội số.",
            ),
            (
                "tf",
                "Tổng hợp câu hỏi, ý kiến sau buổi nói chuyện là nguồn thông tin dư luận xã hội quý cho ban chấp hành.",
                "true",
                "Đây cũng là nhiệm vụ của cộng tác viên dư luận xã hội.",
            ),
            (
                "single",
                "Thời điểm thường hiệu quả để nói chuyện với công nhân làm ca là",
                ["Giờ nghỉ giữa ca hoặc đầu giờ họp tổ", "Giữa ca sản xuất", "Sau 22 giờ", "Ngày nghỉ lễ"],
                0,
                "Chọn thời điểm người nghe có thể tập trung mà không mất thời gian nghỉ.",
            ),
        ],
    },
}


# Further reading added to the shorter lessons.
_EXTRA = {
    "giong-noi-cu-chi": (
        "p",
        "<p>Trước khi bắt đầu, hãy hít thở sâu vài lần và uống một ngụm nước. Câu chào đầu tiên nên to, rõ, "
        "kèm nụ cười; những giây đầu tiên quyết định người nghe có chú ý hay không. Khi nói về con số, hãy "
        "nói chậm lại và nhắc lại một lần (“hai trăm suất quà — hai trăm”). Khi chuyển ý, dùng câu nối ngắn: "
        "“Điều thứ hai tôi muốn chia sẻ là…”. Kết thúc đúng giờ là cách tôn trọng người lao động.</p>",
    ),
    "cau-hoi-kho": (
        "tip",
        "Mẫu câu hữu ích",
        "<ul><li>“Cảm ơn anh đã hỏi thẳng, đây là điều nhiều người quan tâm.”</li>"
        "<li>“Để tôi nhắc lại cho chắc: chị hỏi về việc trả lương làm thêm giờ ngày Chủ nhật, đúng không ạ?”</li>"
        "<li>“Việc này liên quan đến hồ sơ riêng của anh, mình trao đổi sau buổi nói chuyện nhé.”</li>"
        "<li>“Theo Bộ luật Lao động, làm thêm vào ngày nghỉ hằng tuần được trả ít nhất 200% lương.”</li></ul>",
    ),
}
for _lesson in ORAL["lessons"]:
    if _lesson["slug"] in _EXTRA:
        _lesson["blocks"].append(_EXTRA[_lesson["slug"]])
