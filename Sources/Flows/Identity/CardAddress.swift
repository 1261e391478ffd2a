import Foundation

extension Address {
    /// The 34 provinces and centrally-run cities since 1 July 2025 (Resolution 202/2025/QH15),
    /// as the form stores them (without "Tỉnh" / "Thành phố").
    public static let provinces = [
        "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
        "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình",
        "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai",
        "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
    ]

    /// The card's residence, free text as the chip or the QR code gives it, split where it
    /// can be matched: a province of today's 34 (by name, whatever its prefix or the
    /// placement of its tone marks), and the commune or ward before it when the address has
    /// no district — an address from before the 2025 reform names a district, and its commune
    /// may have merged since, so the applicant chooses it. What is not matched stays empty;
    /// the house, street or hamlet goes to `detail`.
    public init(cardText text: String) {
        var parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var province = ""
        if let last = parts.last, let matched = Self.province(named: last) {
            province = matched
            parts.removeLast()
        }
        let districtPrefixes = ["huyện ", "quận ", "thị xã ", "thành phố ", "tp. ", "tp "]
        let communePrefixes = ["xã ", "phường ", "đặc khu ", "thị trấn "]
        let hasDistrict = parts.contains { part in districtPrefixes.contains { part.lowercased().hasPrefix($0) } }
        var commune = ""
        if let index = parts.lastIndex(where: { part in communePrefixes.contains { part.lowercased().hasPrefix($0) } }) {
            if !hasDistrict, !province.isEmpty { commune = parts[index] }
            parts = Array(parts[..<index])
        } else if hasDistrict {
            parts.removeAll { part in districtPrefixes.contains { part.lowercased().hasPrefix($0) } }
        }
        self.init(province: province, commune: commune, detail: parts.joined(separator: ", "))
    }

    /// Today's province named by `text` ("Thành phố Hà Nội", "Tỉnh Thanh Hoá", "TP. Hồ Chí Minh").
    public static func province(named text: String) -> String? {
        var name = text
        for prefix in ["Thành phố ", "Thành Phố ", "TP. ", "TP.", "TP ", "Tỉnh ", "tỉnh ", "thành phố "] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        let key = fold(name)
        return provinces.first { fold($0) == key }
    }

    /// Lower case without diacritics or spaces at the ends: "Thanh Hoá" and "Thanh Hóa" are one.
    static func fold(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "vi"))
            .replacingOccurrences(of: "đ", with: "d").trimmingCharacters(in: .whitespaces)
    }
}
