# ruff: noqa: E501  (long Vietnamese content lines read better unbroken)
"""Vietnamese content of the demo courses (drawn from ../shared/domain: Program 09 and the
national study on union communication through social networks), one module per course."""

# Lesson blocks are tuples: ("p", html) · ("h", text) · ("tip"|"note"|"warning", title, html)
# · ("post", network, author, posted, text, reactions, comments, shares, verdict, comment) · ("doc", key, label)
# Questions: ("single", prompt, [options], right_index, feedback)
# · ("multi", prompt, [options], {right indexes}, scoring, feedback) · ("tf", prompt, "true"|"false", feedback)
# · ("short", prompt, [accepted], ignore_diacritics, feedback)

from .image_fanpage import IMAGE_FANPAGE
from .oral import ORAL
from .social_writing import SOCIAL_WRITING

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
