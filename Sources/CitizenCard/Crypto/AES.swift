import CCrypto

extension CardCrypto {
    /// AES (128, 192 or 256 by key length) in CBC mode without padding; `iv` defaults to zero.
    public static func aes(encrypt: Bool, key: [UInt8], data: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 16)) throws(Failure) -> [UInt8] {
        let cipher: OpaquePointer? =
            switch key.count {
            case 16: EVP_aes_128_cbc()
            case 24: EVP_aes_192_cbc()
            case 32: EVP_aes_256_cbc()
            default: nil
            }
        guard cipher != nil else { throw .cipher("AES key of \(key.count) bytes") }
        return try cbc(cipher, name: "AES", block: 16, encrypt: encrypt, key: key, iv: iv, data: data)
    }

    /// AES-CMAC (NIST SP 800-38B), the full 16 bytes; secure messaging keeps the first 8.
    public static func cmac(key: [UInt8], data: [UInt8]) throws(Failure) -> [UInt8] {
        func shifted(_ b: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 16)
            for i in 0..<16 { out[i] = b[i] << 1 | (i < 15 ? b[i + 1] >> 7 : 0) }
            if b[0] & 0x80 != 0 { out[15] ^= 0x87 }
            return out
        }
        let l = try aes(encrypt: true, key: key, data: [UInt8](repeating: 0, count: 16))
        let k1 = shifted(l), k2 = shifted(k1)
        var blocks = data
        let complete = !data.isEmpty && data.count % 16 == 0
        if !complete {
            blocks.append(0x80)
            while blocks.count % 16 != 0 { blocks.append(0) }
        }
        let last = blocks.count - 16
        for i in 0..<16 { blocks[last + i] ^= complete ? k1[i] : k2[i] }
        return Array(try aes(encrypt: true, key: key, data: blocks).suffix(16))
    }
}
