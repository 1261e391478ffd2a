import Flows
import Foundation
import Testing

/// The card's residence split into what the form asks, where it matches; nothing guessed.
struct CardAddressTests {
    @Test(arguments: [
        ("Số 1 Phố Thử, Phường Mẫu, Thành phố Hà Nội", Address(province: "Hà Nội", commune: "Phường Mẫu", detail: "Số 1 Phố Thử")),
        ("Thôn Đông, Xã Tân Tiến, Tỉnh Thanh Hoá", Address(province: "Thanh Hóa", commune: "Xã Tân Tiến", detail: "Thôn Đông")),
        ("12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh", Address(province: "Hồ Chí Minh", commune: "Phường Sài Gòn", detail: "12 Lê Lợi")),
        // Before the 2025 reform: a district, and a commune that may have merged since.
        ("Thôn Đông, Xã Yên Sở, Huyện Hoài Đức, Thành phố Hà Nội", Address(province: "Hà Nội", commune: "", detail: "Thôn Đông")),
        // A province merged away in 2025: nothing guessed about where it now belongs.
        ("Tổ 5, Phường Quang Trung, Thành phố Hà Giang, Tỉnh Hà Giang", Address(province: "", commune: "", detail: "Tổ 5")),
        ("Số 1 Phố Thử", Address(province: "", commune: "", detail: "Số 1 Phố Thử")),
    ])
    func theCardsResidenceIsSplitWhereItMatches(text: String, expected: Address) {
        #expect(Address(cardText: text) == expected)
    }

    @Test func todaysThirtyFourProvincesAreKnownByAnyPrefix() {
        #expect(Address.provinces.count == 34 && Set(Address.provinces).count == 34)
        #expect(Address.province(named: "Tỉnh Khánh Hoà") == "Khánh Hòa")
        #expect(Address.province(named: "Thành phố Huế") == "Huế")
        #expect(Address.province(named: "Tỉnh Hà Giang") == nil, "merged into Tuyên Quang in 2025")
    }
}
