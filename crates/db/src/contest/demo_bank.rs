//! The demo question bank: facts about công tác dân vận, the "Dân vận khéo" movement,
//! grassroots democracy and the Mặt trận Tổ quốc, written for the demo. Each fact gives five
//! questions (different stems and option orders), so the bank has more than 200 questions.

/// (question, correct answer, three wrong answers, topic)
pub const FACTS: &[(&str, &str, [&str; 3], &str)] = &[
    (
        "Bài báo \"Dân vận\" của Chủ tịch Hồ Chí Minh được đăng trên báo Sự thật vào ngày nào?",
        "15/10/1949",
        ["19/5/1949", "2/9/1945", "3/2/1950"],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Chủ tịch Hồ Chí Minh ký bút danh nào khi viết bài báo \"Dân vận\" năm 1949?",
        "X.Y.Z",
        ["T.L", "C.B", "Tân Sinh"],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Theo bài báo \"Dân vận\", \"Dân vận kém thì việc gì cũng kém. Dân vận khéo thì việc gì…\"?",
        "cũng thành công",
        ["cũng xong", "cũng tốt", "cũng nhanh"],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Câu \"Dễ trăm lần không dân cũng chịu, khó vạn lần dân liệu cũng xong\" là của ai?",
        "Chủ tịch Hồ Chí Minh",
        [
            "Chủ tịch Tôn Đức Thắng",
            "Đại tướng Võ Nguyên Giáp",
            "Thủ tướng Phạm Văn Đồng",
        ],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Theo bài báo \"Dân vận\", bao nhiêu quyền hạn, đều của ai?",
        "Của dân",
        ["Của Nhà nước", "Của cán bộ", "Của Mặt trận"],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Theo bài báo \"Dân vận\", dân vận là vận động tất cả lực lượng của mỗi một người dân, không để sót…?",
        "một người dân nào",
        ["một gia đình nào", "một thôn bản nào", "một đảng viên nào"],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Ngày 15 tháng 10 hằng năm được lấy làm ngày gì?",
        "Ngày truyền thống công tác dân vận của Đảng (Ngày Dân vận)",
        [
            "Ngày Pháp luật Việt Nam",
            "Ngày hội Đại đoàn kết toàn dân tộc",
            "Ngày Thương binh - Liệt sĩ",
        ],
        "Công tác dân vận",
    ),
    (
        "Ban Dân vận Trung ương được thành lập năm nào?",
        "1930",
        ["1945", "1954", "1975"],
        "Công tác dân vận",
    ),
    (
        "Phong trào thi đua \"Dân vận khéo\" được phát động trong toàn quốc từ năm nào?",
        "2009",
        ["1999", "2015", "2021"],
        "Dân vận khéo",
    ),
    (
        "Cơ quan nào phát động phong trào thi đua \"Dân vận khéo\"?",
        "Ban Dân vận Trung ương",
        ["Bộ Nội vụ", "Trung ương Đoàn", "Văn phòng Chính phủ"],
        "Dân vận khéo",
    ),
    (
        "Mô hình \"Dân vận khéo\" cần đạt yêu cầu nào?",
        "Được Nhân dân đồng tình, hưởng ứng và mang lại kết quả thiết thực",
        [
            "Có kinh phí lớn từ ngân sách",
            "Do cấp tỉnh trực tiếp thực hiện",
            "Chỉ áp dụng ở khu vực đô thị",
        ],
        "Dân vận khéo",
    ),
    (
        "Nghị quyết số 25-NQ/TW về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới được ban hành năm nào?",
        "2013",
        ["2009", "2017", "2021"],
        "Văn bản của Đảng",
    ),
    (
        "Nghị quyết số 25-NQ/TW năm 2013 do Hội nghị Trung ương nào ban hành?",
        "Hội nghị Trung ương 7 khóa XI",
        [
            "Hội nghị Trung ương 4 khóa XII",
            "Hội nghị Trung ương 6 khóa X",
            "Hội nghị Trung ương 3 khóa XIII",
        ],
        "Văn bản của Đảng",
    ),
    (
        "Quy chế công tác dân vận của hệ thống chính trị hiện hành được ban hành kèm theo văn bản nào?",
        "Quyết định số 23-QĐ/TW năm 2021 của Bộ Chính trị",
        [
            "Nghị quyết số 25-NQ/TW năm 2013",
            "Luật Thực hiện dân chủ ở cơ sở năm 2022",
            "Chỉ thị số 30-CT/TW năm 1998",
        ],
        "Văn bản của Đảng",
    ),
    (
        "Luật Thực hiện dân chủ ở cơ sở được Quốc hội thông qua năm nào?",
        "2022",
        ["2007", "2013", "2019"],
        "Dân chủ ở cơ sở",
    ),
    (
        "Luật Thực hiện dân chủ ở cơ sở có hiệu lực thi hành từ ngày nào?",
        "01/7/2023",
        ["01/01/2023", "01/7/2022", "01/01/2024"],
        "Dân chủ ở cơ sở",
    ),
    (
        "Luật Thực hiện dân chủ ở cơ sở năm 2022 có số hiệu nào?",
        "10/2022/QH15",
        ["34/2018/QH14", "80/2015/QH13", "25/2014/QH13"],
        "Dân chủ ở cơ sở",
    ),
    (
        "Văn kiện Đại hội XIII của Đảng bổ sung nội dung nào vào phương châm \"Dân biết, dân bàn, dân làm, dân kiểm tra\"?",
        "Dân giám sát, dân thụ hưởng",
        [
            "Dân quyết định, dân hưởng lợi",
            "Dân đóng góp, dân quản lý",
            "Dân đề xuất, dân đánh giá",
        ],
        "Dân chủ ở cơ sở",
    ),
    (
        "Theo Luật Thực hiện dân chủ ở cơ sở, hình thức nào là một cách để công dân tham gia ý kiến ở thôn, tổ dân phố?",
        "Hội nghị thôn, tổ dân phố",
        [
            "Phiên họp Quốc hội",
            "Kỳ họp Hội đồng nhân dân tỉnh",
            "Hội nghị Ban Chấp hành Trung ương",
        ],
        "Dân chủ ở cơ sở",
    ),
    (
        "Ban Thanh tra nhân dân ở xã, phường, thị trấn do tổ chức nào chủ trì bầu và hướng dẫn hoạt động?",
        "Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã",
        [
            "Ủy ban nhân dân cấp xã",
            "Công an xã",
            "Hội đồng nhân dân cấp huyện",
        ],
        "Dân chủ ở cơ sở",
    ),
    (
        "Ngày truyền thống của Mặt trận Tổ quốc Việt Nam là ngày nào?",
        "18/11/1930",
        ["3/2/1930", "19/5/1941", "20/10/1930"],
        "Mặt trận Tổ quốc",
    ),
    (
        "Ngày hội Đại đoàn kết toàn dân tộc được tổ chức ở khu dân cư vào dịp nào?",
        "Ngày 18 tháng 11 hằng năm",
        [
            "Ngày 2 tháng 9 hằng năm",
            "Ngày 15 tháng 10 hằng năm",
            "Ngày 26 tháng 3 hằng năm",
        ],
        "Mặt trận Tổ quốc",
    ),
    (
        "Cuộc vận động \"Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh\" do tổ chức nào chủ trì?",
        "Mặt trận Tổ quốc Việt Nam",
        [
            "Bộ Nông nghiệp và Phát triển nông thôn",
            "Hội Cựu chiến binh Việt Nam",
            "Bộ Xây dựng",
        ],
        "Mặt trận Tổ quốc",
    ),
    (
        "Tổ chức nào là tổ chức liên minh chính trị, liên hiệp tự nguyện của tổ chức chính trị, các tổ chức chính trị - xã hội, tổ chức xã hội và các cá nhân tiêu biểu?",
        "Mặt trận Tổ quốc Việt Nam",
        ["Hội đồng nhân dân", "Ủy ban nhân dân", "Tòa án nhân dân"],
        "Mặt trận Tổ quốc",
    ),
    (
        "Hội Nông dân Việt Nam được thành lập ngày nào?",
        "14/10/1930",
        ["20/10/1930", "28/7/1929", "26/3/1931"],
        "Đoàn thể chính trị - xã hội",
    ),
    (
        "Hội Liên hiệp Phụ nữ Việt Nam được thành lập ngày nào?",
        "20/10/1930",
        ["8/3/1930", "14/10/1930", "6/12/1989"],
        "Đoàn thể chính trị - xã hội",
    ),
    (
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh được thành lập ngày nào?",
        "26/3/1931",
        ["15/5/1941", "19/5/1890", "2/9/1945"],
        "Đoàn thể chính trị - xã hội",
    ),
    (
        "Công đoàn Việt Nam được thành lập ngày nào?",
        "28/7/1929",
        ["1/5/1930", "3/2/1930", "14/10/1930"],
        "Đoàn thể chính trị - xã hội",
    ),
    (
        "Hội Cựu chiến binh Việt Nam được thành lập ngày nào?",
        "6/12/1989",
        ["22/12/1944", "27/7/1947", "19/8/1945"],
        "Đoàn thể chính trị - xã hội",
    ),
    (
        "Tỉnh Lạng Sơn được thành lập năm nào?",
        "1831",
        ["1802", "1890", "1945"],
        "Lạng Sơn",
    ),
    (
        "Năm 2023, Đảng bộ tỉnh Lạng Sơn kỷ niệm bao nhiêu năm Ngày truyền thống?",
        "90 năm",
        ["75 năm", "80 năm", "100 năm"],
        "Lạng Sơn",
    ),
    (
        "Lạng Sơn là tỉnh miền núi biên giới giáp với nước nào?",
        "Trung Quốc",
        ["Lào", "Campuchia", "Thái Lan"],
        "Lạng Sơn",
    ),
    (
        "Cửa khẩu quốc tế Hữu Nghị thuộc tỉnh nào?",
        "Lạng Sơn",
        ["Cao Bằng", "Quảng Ninh", "Lào Cai"],
        "Lạng Sơn",
    ),
    (
        "Các dân tộc chiếm đa số dân số tỉnh Lạng Sơn là?",
        "Nùng và Tày",
        ["Kinh và Hoa", "Dao và Mông", "Thái và Mường"],
        "Lạng Sơn",
    ),
    (
        "Công tác dân vận là nhiệm vụ của ai?",
        "Của cả hệ thống chính trị, cán bộ, đảng viên, công chức, viên chức, đoàn viên, hội viên",
        [
            "Chỉ của Ban Dân vận các cấp",
            "Chỉ của Mặt trận Tổ quốc",
            "Chỉ của chính quyền cấp xã",
        ],
        "Công tác dân vận",
    ),
    (
        "Theo tư tưởng Hồ Chí Minh, nước lấy ai làm gốc?",
        "Dân",
        ["Đất đai", "Quân đội", "Pháp luật"],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Theo Chủ tịch Hồ Chí Minh, cán bộ dân vận phải có phong cách nào?",
        "Óc nghĩ, mắt trông, tai nghe, chân đi, miệng nói, tay làm",
        [
            "Nói nhiều, làm ít",
            "Chỉ đạo từ xa qua văn bản",
            "Chờ dân đến hỏi mới làm",
        ],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "Theo bài báo \"Dân vận\", cán bộ dân vận không thể chỉ dùng cách nào?",
        "Chỉ dùng báo chương, sách vở, mệnh lệnh, giấy tờ",
        [
            "Gần gũi, lắng nghe dân",
            "Giải thích cho dân hiểu",
            "Làm gương cho dân theo",
        ],
        "Tư tưởng Hồ Chí Minh",
    ),
    (
        "\"Dân vận chính quyền\" là nội dung nhằm nâng cao chất lượng, hiệu quả công tác dân vận của cơ quan nào?",
        "Cơ quan nhà nước, chính quyền các cấp",
        [
            "Doanh nghiệp tư nhân",
            "Các tổ chức quốc tế",
            "Các hộ gia đình",
        ],
        "Công tác dân vận",
    ),
    (
        "\"Dân vận khéo\" trong thực hiện chương trình xây dựng nông thôn mới thường tập trung vào việc gì?",
        "Vận động Nhân dân tự nguyện hiến đất, góp công làm đường, xây dựng công trình",
        [
            "Cưỡng chế người dân đóng góp",
            "Chỉ dùng ngân sách nhà nước",
            "Giao hoàn toàn cho doanh nghiệp",
        ],
        "Dân vận khéo",
    ),
    (
        "Mô hình \"Dân vận khéo\" được đánh giá theo tiêu chí nào là quan trọng nhất?",
        "Hiệu quả thiết thực, được Nhân dân tham gia và hưởng lợi",
        [
            "Số lượng báo cáo gửi lên cấp trên",
            "Số cuộc họp được tổ chức",
            "Kinh phí tuyên truyền lớn",
        ],
        "Dân vận khéo",
    ),
    (
        "Cuộc vận động \"Người Việt Nam ưu tiên dùng hàng Việt Nam\" được phát động năm nào?",
        "2009",
        ["2001", "2012", "2019"],
        "Mặt trận Tổ quốc",
    ),
];

/// Stems that turn one fact into several questions.
pub const STEMS: [&str; 5] = [
    "",
    "Chọn đáp án đúng. ",
    "Hãy cho biết. ",
    "Theo tài liệu tuyên truyền của Cuộc thi: ",
    "Câu hỏi ôn tập. ",
];
