"""In-person classes (lớp tập huấn), their sessions and attendance."""
