# ruff: noqa: E501  (long Vietnamese content lines read better unbroken)
"""Vietnamese content of the demo courses (drawn from ../shared/domain: Program 09 and the
national study on union communication through social networks)."""

# Lesson blocks are tuples: ("p", html) · ("h", text) · ("tip"|"note"|"warning", title, html)
# · ("post", network, author, posted, text, reactions, comments, shares, verdict, comment) · ("doc", key, label)
# Questions: ("single", prompt, [options], right_index, feedback)
# · ("multi", prompt, [options], {right indexes}, scoring, feedback) · ("tf", prompt, "true"|"false", feedback)
# · ("short", prompt, [accepted], ignore_diacritics, feedback)

SOCIAL_WRITING = {
    "slug": "viet-cho-mang-xa-hoi",
    "title": "Viết bài tuyên truyền trên mạng xã hội: Facebook và Zalo",
    "topic": "Truyền thông số",
    "hours": 4,
    "summary": (
        "Kỹ năng viết tin, bài ngắn cho trang Facebook và nhóm Zalo của công đoàn: chọn thông điệp, "
        "đặt tiêu đề, dùng hình ảnh, trả lời bình luận và giữ an toàn thông tin cho đoàn viên, người lao động."
    ),
    "objectives": (
        "<ul><li>Hiểu vì sao mạng xã hội là kênh tuyên truyền chủ lực của công đoàn trong kỷ nguyên số.</li>"
        "<li>Viết được một bài đăng Facebook ngắn, đúng, hấp dẫn theo cấu trúc “tiêu đề – ý chính – lời kêu gọi”.</li>"
        "<li>Soạn tin nhắn Zalo nhóm rõ ràng, không gây nhiễu.</li>"
        "<li>Ứng xử đúng mực với bình luận, thông tin sai lệch và dữ liệu cá nhân.</li></ul>"
    ),
    "lessons": [
        {
            "slug": "vi-sao-mang-xa-hoi",
            "title": "Vì sao công đoàn cần tuyên truyền trên mạng xã hội",
            "minutes": 12,
            "blocks": [
                (
                    "p",
                    "<p>Thói quen cập nhật thông tin của đoàn viên, công nhân, viên chức, lao động (CNVCLĐ) đã thay đổi: "
                    "phần lớn người lao động đọc tin trên điện thoại, trong giờ nghỉ giữa ca hoặc trên đường về phòng trọ. "
                    "Họ tìm trên mạng xã hội những thông tin thiết thực liên quan đến quyền lợi của mình: tiền lương, "
                    "bảo hiểm xã hội, chế độ nghỉ, hỗ trợ tiền thuê nhà, các chương trình phúc lợi của công đoàn.</p>",
                ),
                (
                    "p",
                    "<p>Nghiên cứu “Đổi mới công tác tuyên truyền của tổ chức Công đoàn thông qua mạng xã hội” của "
                    "Tổng Liên đoàn chỉ ra một điểm quan trọng: trên mạng xã hội, cán bộ công đoàn và người lao động "
                    "<strong>vừa là người cung cấp nội dung, vừa là người lan tỏa, vừa là người tiếp nhận</strong>. "
                    "Trang của công đoàn vì thế không chỉ là bảng tin một chiều mà là nơi gắn kết, sẻ chia niềm vui, "
                    "băn khoăn của đoàn viên.</p>",
                ),
                ("h", "Mạng xã hội trong Chương trình 09 của LĐLĐ Thành phố"),
                (
                    "p",
                    "<p>LĐLĐ thành phố Hà Nội đã sử dụng hiệu quả trang thông tin điện tử và trang Facebook "
                    "“Công đoàn Hà Nội” để phản ánh kịp thời, đầy đủ, chính xác hoạt động công đoàn và phong trào CNVCLĐ. "
                    "Nhiều công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở đã lập fanpage, nhóm Zalo để thông tin "
                    "nhanh tới từng tổ công đoàn. Chương trình 09/CTr-LĐLĐ đặt yêu cầu mỗi công đoàn cơ sở từ 1.000 lao động "
                    "trở lên có ít nhất một tuyên truyền viên và đội ngũ này được bồi dưỡng kỹ năng hằng năm.</p>",
                ),
                (
                    "note",
                    "Facebook hay Zalo?",
                    "<ul><li><strong>Facebook (fanpage)</strong>: công khai, lan tỏa rộng, hợp với tin hoạt động, gương người tốt việc tốt, video ngắn.</li>"
                    "<li><strong>Zalo (nhóm, OA)</strong>: khép kín, tới đúng người, hợp với thông báo khẩn, lịch họp, hướng dẫn thủ tục.</li></ul>",
                ),
                (
                    "p",
                    "<p>Hai kênh bổ trợ cho nhau. Một thông báo về đợt khám sức khỏe định kỳ nên gửi trong nhóm Zalo "
                    "của từng tổ; còn câu chuyện về người thợ may được tặng Bằng khen nên đăng lên fanpage để nhiều người biết "
                    "đến và chia sẻ.</p>",
                ),
                (
                    "tip",
                    "Ghi nhớ",
                    "<p>Người lao động đọc tin của công đoàn khi tin đó <strong>có ích cho chính họ</strong>. Trước khi viết, hãy tự hỏi: "
                    "“Đọc xong, đoàn viên biết thêm điều gì, làm được gì?”</p>",
                ),
            ],
        },
        {
            "slug": "viet-bai-facebook",
            "title": "Cấu trúc một bài đăng Facebook hiệu quả",
            "minutes": 15,
            "blocks": [
                (
                    "p",
                    "<p>Một bài đăng tốt trên fanpage công đoàn thường ngắn (100–250 chữ), có một ý chính và một hình ảnh thật. "
                    "Người đọc lướt rất nhanh: bạn chỉ có khoảng hai giây để giữ họ lại bằng câu đầu tiên.</p>",
                ),
                ("h", "Công thức “Tiêu đề – Ý chính – Lời kêu gọi”"),
                (
                    "p",
                    "<ol><li><strong>Tiêu đề/câu mở</strong>: nói ngay điều quan trọng nhất, có con số hoặc đối tượng cụ thể "
                    "(“200 suất quà Tết cho công nhân khó khăn Khu công nghiệp Thăng Long”).</li>"
                    "<li><strong>Ý chính</strong>: ai, làm gì, ở đâu, khi nào, vì sao — viết câu ngắn, mỗi đoạn 2–3 câu.</li>"
                    "<li><strong>Lời kêu gọi</strong>: người đọc cần làm gì tiếp theo — đăng ký ở đâu, liên hệ ai, hạn chót ngày nào.</li></ol>",
                ),
                (
                    "post",
                    "facebook",
                    "Công đoàn Công ty May Thăng Long",
                    "2 giờ trước",
                    "🎁 200 SUẤT QUÀ TẾT CHO ĐOÀN VIÊN KHÓ KHĂN\n\nCông đoàn Công ty trao 200 suất quà (mỗi suất 1 triệu đồng) "
                    "cho đoàn viên có hoàn cảnh khó khăn dịp Tết Nguyên đán.\n\n📌 Đăng ký: qua tổ trưởng công đoàn, hạn chót 15/01.\n"
                    "📞 Thắc mắc: chị Hoa – 0912 xxx xxx (Văn phòng công đoàn, tầng 2).\n\n#CongDoanHaNoi #TetSumVay",
                    356,
                    42,
                    18,
                    "good",
                    "Tiêu đề nêu con số cụ thể, nội dung ngắn gọn, có hạn chót và đầu mối liên hệ, hình ảnh thật của hoạt động.",
                ),
                (
                    "post",
                    "facebook",
                    "CĐCS Công ty ABC",
                    "Hôm qua",
                    "THÔNG BÁO!!! CÁC ĐỒNG CHÍ ĐOÀN VIÊN CHÚ Ý!!! THỰC HIỆN THEO CHỈ ĐẠO CỦA CẤP TRÊN VỀ VIỆC TRIỂN KHAI KẾ HOẠCH SỐ 15/KH "
                    "ĐỀ NGHỊ CÁC TỔ CÔNG ĐOÀN NGHIÊM TÚC QUÁN TRIỆT VÀ TRIỂN KHAI THỰC HIỆN CÓ HIỆU QUẢ...",
                    3,
                    0,
                    0,
                    "bad",
                    "Viết hoa toàn bộ gây khó đọc và có cảm giác “quát”, không nói rõ người đọc được gì, phải làm gì.",
                ),
                (
                    "warning",
                    "Tránh",
                    "<ul><li>Viết hoa toàn bộ, lạm dụng dấu chấm than.</li><li>Chép nguyên văn công văn, nhiều thuật ngữ hành chính.</li>"
                    "<li>Ảnh mờ, ảnh chụp màn hình văn bản thay cho ảnh hoạt động.</li></ul>",
                ),
                (
                    "p",
                    "<p>Hình ảnh nên là ảnh thật của người lao động trong hoạt động, rõ mặt người chính, có bố cục gọn. "
                    "Nếu đăng video, hãy để 3–5 giây đầu đã thấy nội dung chính và thêm phụ đề, vì nhiều người xem ở chế độ tắt tiếng.</p>",
                ),
                ("doc", "checklist", "Tải bảng kiểm trước khi đăng bài"),
            ],
        },
        {
            "slug": "tin-nhan-zalo",
            "title": "Soạn tin nhắn và quản lý nhóm Zalo công đoàn",
            "minutes": 12,
            "blocks": [
                (
                    "p",
                    "<p>Nhóm Zalo là kênh nhanh nhất để tới đúng người: tổ trưởng công đoàn, ban chấp hành, tổ sản xuất. "
                    "Nhưng nhóm có quá nhiều tin sẽ bị tắt thông báo. Quy tắc vàng: <strong>mỗi tin một việc, đọc một lần là hiểu</strong>.</p>",
                ),
                ("h", "Mẫu tin thông báo 5 dòng"),
                (
                    "post",
                    "zalo",
                    "Tổ công đoàn Phân xưởng 2",
                    "08:15",
                    "[THÔNG BÁO] Khám sức khỏe định kỳ năm 2026\n• Thời gian: 7h30 thứ Bảy 14/3\n• Địa điểm: Nhà ăn ca 1\n"
                    "• Mang theo: CCCD, thẻ BHYT\n• Ai bận ca báo tổ trưởng trước thứ Năm 12/3 để xếp lịch bù.",
                    24,
                    6,
                    0,
                    "good",
                    "Dòng đầu có nhãn và chủ đề; mỗi dòng một thông tin; có việc cần làm và hạn báo lại.",
                ),
                (
                    "p",
                    "<p>Khi cần ý kiến, hãy dùng tính năng <em>bình chọn</em> thay vì để mọi người trả lời lẫn lộn. "
                    "Tài liệu dài (quy chế, mẫu đơn) nên ghim lên đầu nhóm hoặc lưu trong mục “Ảnh, link, file”.</p>",
                ),
                (
                    "tip",
                    "Quản trị nhóm",
                    "<ul><li>Đặt nội quy nhóm ngắn gọn và ghim lên đầu.</li><li>Duyệt thành viên mới; rời công ty thì mời ra khỏi nhóm.</li>"
                    "<li>Tin riêng tư (lương, kỷ luật, bệnh tật) nhắn riêng, không đưa lên nhóm.</li></ul>",
                ),
                (
                    "p",
                    "<p>Trả lời câu hỏi trong nhóm càng sớm càng tốt, trong giờ hành chính nên dưới 2 giờ. "
                    "Nếu chưa có câu trả lời, hãy nói rõ “Công đoàn đã ghi nhận, sẽ trả lời trước thứ Sáu” để người hỏi yên tâm.</p>",
                ),
            ],
        },
        {
            "slug": "binh-luan-va-tin-sai",
            "title": "Trả lời bình luận, xử lý tin sai lệch và bảo vệ thông tin cá nhân",
            "minutes": 15,
            "blocks": [
                (
                    "p",
                    "<p>Bình luận là nơi đoàn viên bày tỏ ý kiến; cũng có khi là phàn nàn gay gắt hoặc thông tin sai. "
                    "Cán bộ công đoàn trả lời với tinh thần lắng nghe, tôn trọng, dựa trên sự thật và quy định.</p>",
                ),
                ("h", "Bốn bước trả lời một bình luận phàn nàn"),
                (
                    "p",
                    "<ol><li><strong>Ghi nhận</strong>: cảm ơn và thừa nhận cảm xúc của người viết.</li>"
                    "<li><strong>Làm rõ</strong>: hỏi thêm thông tin qua tin nhắn riêng nếu liên quan cá nhân.</li>"
                    "<li><strong>Trả lời bằng thông tin chính xác</strong>: dẫn quy định, người phụ trách, thời hạn.</li>"
                    "<li><strong>Khép lại</strong>: báo kết quả khi đã giải quyết.</li></ol>",
                ),
                (
                    "warning",
                    "Khi gặp tin sai lệch",
                    "<p>Không xóa vội, không tranh cãi. Kiểm tra nguồn, báo cáo cấp trên theo quy định, đăng thông tin chính thức "
                    "ngắn gọn kèm nguồn. Không chia sẻ lại tin chưa kiểm chứng, kể cả để “cảnh báo”.</p>",
                ),
                (
                    "p",
                    "<p>Thông tin cá nhân của người lao động (số điện thoại, địa chỉ, bệnh án, hoàn cảnh gia đình) chỉ được đăng "
                    "khi có sự đồng ý. Khi đưa tin về hỗ trợ người có hoàn cảnh khó khăn, hãy hỏi ý kiến họ về việc dùng tên và ảnh.</p>",
                ),
                (
                    "tip",
                    "Mẹo nhỏ",
                    "<p>Soạn sẵn 5–7 câu trả lời mẫu cho các câu hỏi thường gặp (đoàn phí, thăm hỏi ốm đau, quà Tết) để trả lời nhanh và thống nhất.</p>",
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Bài kiểm tra: Viết cho mạng xã hội",
        "questions": [
            (
                "single",
                "Câu mở đầu của một bài đăng Facebook nên làm gì?",
                [
                    "Nêu ngay điều quan trọng nhất với người đọc",
                    "Nhắc lại số hiệu công văn cấp trên",
                    "Chào hỏi thật dài",
                    "Viết hoa toàn bộ để gây chú ý",
                ],
                0,
                "Người đọc lướt rất nhanh; câu đầu phải cho họ biết vì sao nên đọc tiếp.",
            ),
            (
                "tf",
                "Nên đăng số điện thoại và hoàn cảnh gia đình của người lao động được hỗ trợ mà không cần hỏi ý kiến họ.",
                "false",
                "Thông tin cá nhân chỉ đăng khi người đó đồng ý.",
            ),
            (
                "multi",
                "Những yếu tố nào giúp bài đăng thông báo dễ làm theo?",
                ["Hạn chót rõ ràng", "Đầu mối liên hệ", "Chữ in hoa toàn bộ", "Nhiều dấu chấm than"],
                {0, 1},
                "partial",
                "Hạn chót và người liên hệ giúp đoàn viên biết phải làm gì; in hoa và chấm than chỉ gây khó chịu.",
            ),
            (
                "single",
                "Kênh nào phù hợp nhất để gửi lịch khám sức khỏe cho các tổ công đoàn?",
                [
                    "Nhóm Zalo của tổ công đoàn",
                    "Bài phát biểu trong đại hội",
                    "Bảng tin giấy ở cổng",
                    "Tin nhắn riêng cho từng người",
                ],
                0,
                "Nhóm Zalo tới đúng người, nhanh và có thể nhắc lại.",
            ),
            (
                "tf",
                "Trên mạng xã hội, đoàn viên vừa tiếp nhận, vừa có thể tạo và lan tỏa nội dung.",
                "true",
                "Đây là kết luận của đề tài nghiên cứu của Tổng Liên đoàn về tuyên truyền qua mạng xã hội.",
            ),
            (
                "multi",
                "Khi gặp một tin sai lệch về công đoàn trên mạng, cán bộ nên làm gì?",
                [
                    "Kiểm tra nguồn tin",
                    "Đăng thông tin chính thức kèm nguồn",
                    "Chia sẻ lại tin sai để cảnh báo",
                    "Tranh cãi gay gắt với người đăng",
                ],
                {0, 1},
                "all_or_nothing",
                "Không chia sẻ lại tin chưa kiểm chứng và không tranh cãi.",
            ),
            (
                "short",
                "Tên trang Facebook chính thức của LĐLĐ thành phố Hà Nội là “Công đoàn ...”? (điền một từ)",
                ["Hà Nội", "Ha Noi", "Hanoi"],
                True,
                "Trang Facebook “Công đoàn Hà Nội”.",
            ),
            (
                "single",
                "Độ dài phù hợp của một bài đăng fanpage thông thường là",
                [
                    "100–250 chữ",
                    "Trên 2.000 chữ",
                    "Chỉ một biểu tượng cảm xúc",
                    "Nguyên văn công văn đính kèm",
                ],
                0,
                "Bài ngắn, một ý chính, dễ đọc trên điện thoại.",
            ),
            (
                "tf",
                "Tin nhắn về lương, kỷ luật của một cá nhân nên gửi chung vào nhóm Zalo để minh bạch.",
                "false",
                "Tin riêng tư cần nhắn riêng.",
            ),
            (
                "short",
                "Trong công thức viết bài “Tiêu đề – Ý chính – Lời ...”, từ còn thiếu là gì?",
                ["kêu gọi"],
                True,
                "Lời kêu gọi cho người đọc biết bước tiếp theo.",
            ),
        ],
    },
}

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

IMAGE_FANPAGE = {
    "slug": "hinh-anh-ca-nhan-va-fanpage",
    "title": "Xây dựng hình ảnh cá nhân uy tín và vận hành fanpage công đoàn",
    "topic": "Truyền thông số",
    "hours": 4,
    "summary": (
        "Cán bộ công đoàn là “gương mặt” của tổ chức trên mạng. Khoá học giúp bạn xây dựng hình ảnh cá nhân đáng tin cậy "
        "và vận hành fanpage của công đoàn cơ sở: kế hoạch nội dung, lịch đăng, đo hiệu quả và an toàn tài khoản."
    ),
    "objectives": (
        "<ul><li>Hiểu vai trò của uy tín cá nhân cán bộ công đoàn trong tuyên truyền.</li>"
        "<li>Chuẩn hóa trang cá nhân và cách ứng xử trên mạng.</li>"
        "<li>Lập kế hoạch nội dung và lịch đăng cho fanpage.</li><li>Đọc chỉ số, bảo mật tài khoản quản trị.</li></ul>"
    ),
    "lessons": [
        {
            "slug": "uy-tin-ca-nhan",
            "title": "Uy tín cá nhân – nền tảng của tuyên truyền",
            "minutes": 12,
            "blocks": [
                (
                    "p",
                    "<p>Đề tài nghiên cứu của Tổng Liên đoàn khuyến nghị bồi dưỡng cho cán bộ công đoàn "
                    "<strong>kỹ năng xây dựng uy tín và hình ảnh cá nhân tích cực</strong>. Lý do đơn giản: người lao động "
                    "tin thông tin từ người mà họ tin.</p>",
                ),
                (
                    "p",
                    "<p>Uy tín được xây từ những việc nhỏ lặp lại: trả lời đúng hẹn, nói đi đôi với làm, bảo vệ quyền lợi "
                    "người lao động một cách thực chất, và ứng xử văn minh trên mạng cũng như ngoài đời.</p>",
                ),
                ("h", "Trang cá nhân của cán bộ công đoàn"),
                (
                    "p",
                    "<ul><li>Ảnh đại diện rõ mặt, trang phục lịch sự.</li><li>Giới thiệu ngắn: chức danh, đơn vị.</li>"
                    "<li>Chia sẻ hoạt động công đoàn, gương người tốt việc tốt; hạn chế chuyện riêng tư gây tranh cãi.</li></ul>",
                ),
                (
                    "warning",
                    "Cẩn trọng",
                    "<p>Không bình luận nóng vội về vụ việc đang giải quyết, không chia sẻ tin chưa kiểm chứng, không dùng lời lẽ "
                    "thiếu chuẩn mực. Một bình luận thiếu suy nghĩ có thể làm tổn hại uy tín của cả tổ chức.</p>",
                ),
            ],
        },
        {
            "slug": "lap-fanpage",
            "title": "Lập và chuẩn hóa fanpage của công đoàn cơ sở",
            "minutes": 12,
            "blocks": [
                (
                    "p",
                    "<p>Fanpage của công đoàn cơ sở nên có tên đầy đủ, thống nhất với tên đơn vị (ví dụ “Công đoàn Công ty "
                    "TNHH May Thăng Long”), ảnh đại diện là biểu trưng Công đoàn Việt Nam hoặc logo đơn vị, ảnh bìa là hoạt động thật.</p>",
                ),
                (
                    "p",
                    "<p>Phần giới thiệu ghi rõ: đơn vị, địa chỉ văn phòng công đoàn, số điện thoại, giờ làm việc, đường dẫn nhóm Zalo. "
                    "Ghim một bài “Công đoàn có thể giúp gì cho bạn?” lên đầu trang.</p>",
                ),
                (
                    "tip",
                    "Quyền quản trị",
                    "<p>Fanpage phải có ít nhất hai quản trị viên là cán bộ công đoàn đương nhiệm. Khi có người chuyển công tác, "
                    "gỡ quyền ngay và ghi vào sổ bàn giao.</p>",
                ),
                (
                    "post",
                    "facebook",
                    "Công đoàn Công ty TNHH May Thăng Long",
                    "Đã ghim",
                    "📌 CÔNG ĐOÀN CÓ THỂ GIÚP GÌ CHO BẠN?\n✔ Tư vấn pháp luật lao động miễn phí\n✔ Thăm hỏi khi ốm đau, thai sản\n"
                    "✔ Hỗ trợ đoàn viên khó khăn, quà Tết, học bổng cho con\n📍 Văn phòng: tầng 2 nhà điều hành · ⏰ 7h30–16h30\n"
                    "💬 Nhóm Zalo: hỏi tổ trưởng công đoàn để được thêm vào",
                    128,
                    9,
                    31,
                    "good",
                    "Bài ghim trả lời ngay câu hỏi lớn nhất của người mới: công đoàn làm gì cho tôi?",
                ),
            ],
        },
        {
            "slug": "ke-hoach-noi-dung",
            "title": "Kế hoạch nội dung và lịch đăng bài",
            "minutes": 15,
            "blocks": [
                (
                    "p",
                    "<p>Fanpage sống khi có bài đều đặn. Với công đoàn cơ sở, 3–4 bài mỗi tuần là phù hợp. "
                    "Lập lịch theo tháng giúp không bị động và phân công được người viết.</p>",
                ),
                ("h", "Tỷ lệ nội dung gợi ý"),
                (
                    "p",
                    "<ul><li><strong>40%</strong> thông tin thiết thực: chính sách, quyền lợi, hướng dẫn thủ tục.</li>"
                    "<li><strong>30%</strong> hoạt động công đoàn: thăm hỏi, hội thao, đối thoại.</li>"
                    "<li><strong>20%</strong> gương người tốt việc tốt, câu chuyện người lao động.</li>"
                    "<li><strong>10%</strong> tương tác: hỏi ý kiến, bình chọn, chúc mừng.</li></ul>",
                ),
                (
                    "note",
                    "Theo Chương trình 09",
                    "<p>Lịch đăng nên bám các đợt tuyên truyền lớn trong năm: Tháng Công nhân, Tháng hành động về an toàn vệ sinh lao động, "
                    "ngày thành lập Công đoàn Việt Nam 28/7, Tết Sum vầy.</p>",
                ),
                (
                    "p",
                    "<p>Mỗi tháng, xem lại chỉ số: số người tiếp cận, lượt tương tác, bình luận, tin nhắn. Bài nào nhiều người "
                    "chia sẻ? Bài nào ít người đọc? Điều chỉnh giờ đăng và cách viết theo kết quả. Giờ nghỉ trưa và 20–22 giờ "
                    "thường là lúc công nhân lướt mạng nhiều nhất.</p>",
                ),
            ],
        },
        {
            "slug": "an-toan-tai-khoan",
            "title": "An toàn tài khoản và xử lý sự cố",
            "minutes": 10,
            "blocks": [
                (
                    "p",
                    "<p>Mất quyền quản trị fanpage là sự cố nghiêm trọng: kẻ xấu có thể đăng tin sai dưới danh nghĩa công đoàn. "
                    "Hãy bật xác thực hai yếu tố cho mọi tài khoản quản trị và không dùng chung mật khẩu.</p>",
                ),
                (
                    "warning",
                    "Dấu hiệu lừa đảo",
                    "<p>Tin nhắn báo “trang vi phạm bản quyền, bấm vào link để kháng nghị” hầu hết là lừa đảo chiếm tài khoản. "
                    "Không bấm link lạ, không cung cấp mã đăng nhập.</p>",
                ),
                (
                    "p",
                    "<p>Khi sự cố xảy ra: báo ngay cho công đoàn cấp trên, đăng thông báo trên kênh khác (nhóm Zalo, trang của cấp trên), "
                    "dùng quy trình khôi phục chính thức của nền tảng, và rà soát lại danh sách quản trị sau khi lấy lại trang.</p>",
                ),
                (
                    "tip",
                    "Kiểm tra định kỳ",
                    "<p>Mỗi quý một lần: rà soát quản trị viên, đổi mật khẩu, kiểm tra email và số điện thoại khôi phục.</p>",
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Bài kiểm tra: Hình ảnh cá nhân và fanpage",
        "questions": [
            (
                "tf",
                "Người lao động tin thông tin từ người mà họ tin; vì vậy uy tín cá nhân của cán bộ là nền tảng của tuyên truyền.",
                "true",
                "Đề tài của Tổng Liên đoàn khuyến nghị bồi dưỡng kỹ năng xây dựng uy tín cá nhân.",
            ),
            (
                "single",
                "Fanpage của công đoàn cơ sở nên có ít nhất bao nhiêu quản trị viên là cán bộ đương nhiệm?",
                ["Hai", "Một", "Không cần", "Tất cả đoàn viên"],
                0,
                "Ít nhất hai người để không mất quyền khi một người chuyển công tác.",
            ),
            (
                "multi",
                "Nên làm gì để bảo vệ tài khoản quản trị fanpage?",
                [
                    "Bật xác thực hai yếu tố",
                    "Rà soát quản trị viên định kỳ",
                    "Dùng chung một mật khẩu cho dễ nhớ",
                    "Bấm link kháng nghị bản quyền gửi qua tin nhắn",
                ],
                {0, 1},
                "partial",
                "Xác thực hai yếu tố và rà soát quyền là hai biện pháp cơ bản.",
            ),
            (
                "single",
                "Với công đoàn cơ sở, tần suất đăng bài phù hợp là",
                ["3–4 bài mỗi tuần", "1 bài mỗi năm", "20 bài mỗi ngày", "Chỉ khi có công văn"],
                0,
                "Đều đặn vừa phải giúp trang sống mà không gây nhiễu.",
            ),
            (
                "short",
                "Ngày thành lập Công đoàn Việt Nam là ngày nào? (dạng ngày/tháng, ví dụ 1/5)",
                ["28/7", "28/07", "28-7", "28 tháng 7"],
                True,
                "Ngày 28/7/1929.",
            ),
            (
                "tf",
                "Cán bộ công đoàn nên bình luận ngay lập tức về vụ việc đang được giải quyết để thể hiện quan điểm.",
                "false",
                "Không bình luận nóng vội về vụ việc đang giải quyết.",
            ),
            (
                "single",
                "Bài nên ghim lên đầu fanpage công đoàn cơ sở là",
                [
                    "“Công đoàn có thể giúp gì cho bạn?”",
                    "Ảnh sinh nhật của quản trị viên",
                    "Bài quảng cáo sản phẩm",
                    "Văn bản chỉ đạo dài nhiều trang",
                ],
                0,
                "Bài ghim trả lời câu hỏi người mới quan tâm nhất.",
            ),
            (
                "multi",
                "Khi fanpage bị chiếm quyền, cần làm gì?",
                [
                    "Báo ngay cho công đoàn cấp trên",
                    "Thông báo trên kênh khác như nhóm Zalo",
                    "Im lặng chờ tự hết",
                    "Lập trang mới và bỏ mặc trang cũ",
                ],
                {0, 1},
                "all_or_nothing",
                "Báo cáo, thông báo cho đoàn viên và khôi phục theo quy trình chính thức.",
            ),
            (
                "tf",
                "Nhóm nội dung “thông tin thiết thực: chính sách, quyền lợi, hướng dẫn thủ tục” nên chiếm tỷ lệ lớn nhất.",
                "true",
                "Khoảng 40% — đây là lý do chính khiến người lao động theo dõi trang.",
            ),
            (
                "single",
                "Khung giờ công nhân thường lướt mạng nhiều là",
                ["Nghỉ trưa và 20–22 giờ", "3–4 giờ sáng", "Giữa ca sản xuất", "Chỉ cuối tuần"],
                0,
                "Hãy kiểm tra chỉ số của trang mình để điều chỉnh.",
            ),
        ],
    },
}

COURSES = [SOCIAL_WRITING, ORAL, IMAGE_FANPAGE]

CHECKLIST_TEXT = """BẢNG KIỂM TRƯỚC KHI ĐĂNG BÀI LÊN MẠNG XÃ HỘI CỦA CÔNG ĐOÀN

[ ] Câu đầu tiên nói được điều quan trọng nhất với người đọc
[ ] Thông tin đúng, có nguồn; con số đã kiểm tra lại
[ ] Có việc cần làm: đăng ký ở đâu, hạn chót, người liên hệ
[ ] Không viết hoa toàn bộ, không lạm dụng dấu chấm than
[ ] Ảnh thật, rõ nét, đã xin phép người xuất hiện trong ảnh
[ ] Không có thông tin cá nhân (số điện thoại, địa chỉ, bệnh tật) khi chưa được đồng ý
[ ] Đã soát lỗi chính tả, dấu tiếng Việt
[ ] Có người thứ hai đọc lại với bài quan trọng
"""

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
    "uy-tin-ca-nhan": (
        "p",
        "<p>Hãy nghĩ về một cán bộ công đoàn mà bạn quý trọng: họ thường có mặt khi đoàn viên gặp khó khăn, "
        "nói ít nhưng làm đến nơi đến chốn, và không ngại bảo vệ người lao động trước người sử dụng lao động "
        "bằng lý lẽ và pháp luật. Trên mạng xã hội cũng vậy: những bài chia sẻ chân thực về việc đã làm "
        "được — một đợt thăm hỏi, một cuộc đối thoại giải quyết được kiến nghị — có sức thuyết phục hơn nhiều "
        "so với khẩu hiệu.</p>",
    ),
    "an-toan-tai-khoan": (
        "p",
        "<p>Tài khoản quản trị nên là tài khoản cá nhân thật của cán bộ, có số điện thoại và email khôi phục "
        "còn dùng được. Không đăng nhập trang quản trị trên máy tính công cộng; nếu buộc phải dùng, hãy đăng "
        "xuất và xóa lịch sử sau khi dùng. Lưu lại danh sách quản trị viên, ngày cấp quyền và người cấp trong "
        "sổ theo dõi của ban chấp hành để khi bàn giao không bị bỏ sót.</p>",
    ),
    "lap-fanpage": (
        "p",
        "<p>Trước khi mở trang mới, hãy kiểm tra đơn vị đã có trang cũ hay chưa để tránh trùng lặp làm người "
        "lao động bối rối. Xin ý kiến ban chấp hành về tên trang, người quản trị và quy chế đăng bài; báo cho "
        "công đoàn cấp trên để được liên kết, chia sẻ bài từ trang của LĐLĐ quận, huyện, ngành.</p>",
    ),
}
for _course in COURSES:
    for _lesson in _course["lessons"]:
        if _lesson["slug"] in _EXTRA:
            _lesson["blocks"].append(_EXTRA[_lesson["slug"]])
