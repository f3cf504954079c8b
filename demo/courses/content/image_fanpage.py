# ruff: noqa: E501  (long Vietnamese content lines read better unbroken)
"""Demo course: a trusted personal image and running the union's fanpage."""

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


# Further reading added to the shorter lessons.
_EXTRA = {
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
for _lesson in IMAGE_FANPAGE["lessons"]:
    if _lesson["slug"] in _EXTRA:
        _lesson["blocks"].append(_EXTRA[_lesson["slug"]])
