"""Vietnamese names, sexes and birth dates for the demo's officers, drawn from a seeded random."""

import random
from datetime import date

from organizations.models import Gender

FAMILY = (
    ["Nguyễn"] * 9
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + [
        "Hoàng",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đào",
        "Trịnh",
        "Lương",
    ]
)
MIDDLE = {
    Gender.MALE: ["Văn", "Đức", "Minh", "Quang", "Hữu", "Mạnh", "Tuấn", "Xuân", "Công", "Thành"],
    Gender.FEMALE: ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng", "Thùy", "Thị Thu", "Bích"],
}
GIVEN = {
    Gender.MALE: [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hùng",
        "Huy",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Trung",
        "Tuấn",
        "Việt",
        "Hiếu",
        "Tùng",
        "Lâm",
        "Đông",
    ],
    Gender.FEMALE: [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngọc",
        "Nhung",
        "Phương",
        "Thảo",
        "Trang",
        "Yến",
        "Vân",
        "Loan",
        "Huyền",
        "Oanh",
    ],
}


# The numbers of the demo logins (the learner's, and the phone-only learner's sign-in name):
# no generated officer gets them.
LEARNER_PHONE = "0912345678"
PHONE_LEARNER_PHONE = "0900000001"
RESERVED_PHONES = (LEARNER_PHONE, PHONE_LEARNER_PHONE)


def person(rng: random.Random) -> dict:
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    return {
        "family_name": rng.choice(FAMILY),
        "middle_name": rng.choice(MIDDLE[gender]),
        "given_name": rng.choice(GIVEN[gender]),
        "gender": gender,
        "date_of_birth": date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        "phone": "09" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
    }
