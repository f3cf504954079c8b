# ruff: noqa: E501  (long Vietnamese content lines read better unbroken)
"""Demo course: writing for social networks (Facebook and Zalo)."""

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
