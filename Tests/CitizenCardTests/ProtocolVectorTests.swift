import CitizenCard
import Testing

/// Worked examples of ICAO 9303-11 Appendix D (BAC and secure messaging), checked byte for byte.
@Suite struct ProtocolVectorTests {
    @Test func bacKeysMatchTheWorkedExample() {
        let key = BACKey(documentNumber: "L898902C", dateOfBirth: "690806", dateOfExpiry: "940623")
        #expect(key.seed.hex == "239AB9CB282DAF66231DC5A4DF6BFBAE")
        #expect(key.encKey.hex == "AB94FDECF2674FDFB9B391F85D7F76F2")
        #expect(key.macKey.hex == "7962D9ECE03D1ACD4C76089DCE131543")
    }

    @Test func secureMessagingMatchesTheWorkedExample() throws {
        var sm = SecureMessaging(
            encKey: [UInt8](hex: "979EC13B1CBFE9DCD01AB0FED307EAE5")!, macKey: [UInt8](hex: "F1CB1F1FB5ADF208806B89DC579DC1F8")!,
            ssc: [UInt8](hex: "887022120C06C226")!)
        // SELECT EF.COM
        let select = try sm.wrap(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x1E]))
        #expect(select.bytes.hex == "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
        let answer = try sm.unwrap(ResponseAPDU(bytes: [UInt8](hex: "990290008E08FA855A5D4C50A8ED9000")!)!)
        #expect(answer.sw == 0x9000 && answer.data.isEmpty)
        // READ BINARY of the first four bytes
        let read = try sm.wrap(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 4))
        #expect(read.bytes.hex == "0CB000000D9701048E08ED6705417E96BA5500")
        let data = try sm.unwrap(ResponseAPDU(bytes: [UInt8](hex: "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000")!)!)
        #expect(data.data.hex == "60145F01")
    }

    @Test func aTamperedResponseFailsItsMAC() throws {
        var sm = SecureMessaging(
            encKey: [UInt8](hex: "979EC13B1CBFE9DCD01AB0FED307EAE5")!, macKey: [UInt8](hex: "F1CB1F1FB5ADF208806B89DC579DC1F8")!,
            ssc: [UInt8](hex: "887022120C06C226")!)
        _ = try sm.wrap(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: [0x01, 0x1E]))
        #expect(throws: CardError.secureMessaging("response MAC does not match")) {
            try sm.unwrap(ResponseAPDU(bytes: [UInt8](hex: "990290018E08FA855A5D4C50A8ED9000")!)!)
        }
    }

    /// NIST SP 800-38B, AES-128 examples 1 and 2 (AES secure messaging and PACE tokens).
    @Test func aesCMACMatchesNIST() throws {
        let key = [UInt8](hex: "2B7E151628AED2A6ABF7158809CF4F3C")!
        #expect(try CardCrypto.cmac(key: key, data: []).hex == "BB1D6929E95937287FA37D129B756746")
        #expect(try CardCrypto.cmac(key: key, data: [UInt8](hex: "6BC1BEE22E409F96E93D7E117393172A")!).hex == "070A16B46B4D4144F79BDD9DD04A287C")
    }

    @Test func cardAccessListsSupportedPACEFirst() throws {
        let infos = try PACEInfo.parse(
            cardAccess: TLV(
                tag: TLV.set,
                children: [
                    TLV(tag: TLV.sequence, children: [.oid("0.4.0.127.0.7.2.2.4.6.2"), .int(2), .int(13)]),  // CAM: not spoken here
                    TLV(tag: TLV.sequence, children: [.oid("0.4.0.127.0.7.2.2.3.2.1"), .int(1)]),  // Chip Authentication: ignored
                    TLV(tag: TLV.sequence, children: [.oid("0.4.0.127.0.7.2.2.4.2.2"), .int(2), .int(13)]),
                ]
            ).encoded)
        #expect(infos.map(\.protocolOID) == ["0.4.0.127.0.7.2.2.4.2.2", "0.4.0.127.0.7.2.2.4.6.2"])
        #expect(infos.first?.suite?.cipher == .aes && infos.first?.parameterID == 13)
        #expect(throws: CardError.self) { try PACEInfo.parse(cardAccess: [0x31, 0x05, 0x30]) }
    }

    @Test func mrzCheckDigitsFollowICAO() {
        #expect(MRZ.checkDigit("L898902C<") == "3")
        #expect(MRZ.checkDigit("690806") == "1")
        #expect(MRZ.checkDigit("940623") == "6")
    }

    @Test func apdusEncodeAndParseInEveryCase() {
        let cases: [CommandAPDU] = [
            CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8),
            CommandAPDU(ins: 0xA4, p1: 4, p2: 0x0C, data: ChipSession.applicationID),
            CommandAPDU(ins: 0x82, p1: 0, p2: 0, data: [UInt8](repeating: 7, count: 40), ne: 40),
            CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 487),
            CommandAPDU(ins: 0xD6, p1: 0, p2: 0, data: [UInt8](repeating: 1, count: 300), ne: 65536),
        ]
        for c in cases { #expect(CommandAPDU(bytes: c.bytes) == c) }
        #expect(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: 487).bytes.hex == "00B00000" + "0001E7")
    }
}
