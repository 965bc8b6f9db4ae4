//! What the public lookup page says when it shows no result. Calm, and never more
//! than the visitor already knows: a wrong date of birth reads exactly like an
//! unknown candidate number.

/// No candidate with this number (sessions looked up by number alone).
pub const NOT_FOUND_SBD: &str = "Không tìm thấy kết quả cho số báo danh đã nhập. \
Vui lòng kiểm tra lại số báo danh (gồm cả các chữ số 0 ở đầu, nếu có).";

/// No candidate with this number and date of birth.
pub const NOT_FOUND_SBD_DOB: &str = "Không tìm thấy kết quả phù hợp với số báo danh và ngày sinh đã nhập. \
Vui lòng kiểm tra lại số báo danh và ngày sinh (ngày/tháng/năm, ví dụ 05/09/2010).";

/// The session's results are not public yet.
pub const NOT_PUBLISHED: &str =
    "Kết quả của kỳ thi này chưa được công bố. Vui lòng quay lại sau thời điểm công bố.";
