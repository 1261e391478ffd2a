import CCrypto

/// Elliptic-curve arithmetic on the PACE standardized domain parameters, through libcrypto:
/// what Generic Mapping needs beyond plain ECDH (a new generator s·G + H).
///
/// `@unchecked Sendable` (and its Point and Scalar): owners of OpenSSL handles (EC_GROUP,
/// EC_POINT, BIGNUM), C pointers never changed after creation and freed in `deinit`.
public final class ECCurve: @unchecked Sendable {
    /// PACE's standardized domain parameter id (ICAO 9303-11 table 6).
    public let parameterID: Int
    let group: OpaquePointer
    let ctx: OpaquePointer
    let order: OpaquePointer

    /// The ECDH parameter sets of ICAO 9303-11: 8–18 (NIST and Brainpool curves).
    public static let curves: [Int: Int32] = [
        8: NID_X9_62_prime192v1, 9: NID_brainpoolP192r1, 10: NID_secp224r1, 11: NID_brainpoolP224r1,
        12: NID_X9_62_prime256v1, 13: NID_brainpoolP256r1, 14: NID_brainpoolP320r1, 15: NID_secp384r1,
        16: NID_brainpoolP384r1, 17: NID_brainpoolP512r1, 18: NID_secp521r1,
    ]

    public init?(parameterID: Int) {
        guard let nid = Self.curves[parameterID], let group = EC_GROUP_new_by_curve_name(nid), let ctx = BN_CTX_new(),
            let order = BN_new()
        else { return nil }
        EC_GROUP_get_order(group, order, ctx)
        self.parameterID = parameterID
        self.group = group
        self.ctx = ctx
        self.order = order
    }

    deinit {
        BN_free(order)
        BN_CTX_free(ctx)
        EC_GROUP_free(group)
    }

    /// A point, owned.
    public final class Point: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { EC_POINT_free(pointer) }
    }

    /// A scalar, owned.
    public final class Scalar: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { BN_clear_free(pointer) }
    }

    var byteLength: Int { (Int(EC_GROUP_get_degree(group)) + 7) / 8 }

    /// A private key in [1, n-1] from `random` (reduced from 8 extra bytes: no visible bias).
    public func randomScalar(_ random: any RandomSource) -> Scalar {
        let bytes = random.bytes((Int(BN_num_bits(order)) + 7) / 8 + 8)
        return scalar(bytes, reduced: true)
    }

    /// An integer from big-endian bytes (PACE's nonce s), optionally reduced mod n.
    public func scalar(_ bytes: [UInt8], reduced: Bool = false) -> Scalar {
        let bn = BN_bin2bn(bytes, Int32(bytes.count), nil)!
        if reduced {
            BN_nnmod(bn, bn, order, ctx)
            if BN_is_zero(bn) == 1 { BN_set_word(bn, 1) }
        }
        return Scalar(bn)
    }

    /// a·base (the curve's generator when `base` is nil) + b·other.
    public func multiply(_ a: Scalar?, base: Point? = nil, plus other: Point? = nil, times b: Scalar? = nil) -> Point? {
        guard let r = EC_POINT_new(group) else { return nil }
        let result = Point(r)
        let ok: Bool
        if let base {
            // EC_POINT_mul takes the generator only as the first term: compute a·base, then add.
            ok = EC_POINT_mul(group, r, nil, base.pointer, a?.pointer, ctx) == 1
            guard ok else { return nil }
            if let other, let b {
                guard let t = EC_POINT_new(group) else { return nil }
                defer { EC_POINT_free(t) }
                guard EC_POINT_mul(group, t, nil, other.pointer, b.pointer, ctx) == 1,
                    EC_POINT_add(group, r, r, t, ctx) == 1
                else { return nil }
            }
        } else {
            ok = EC_POINT_mul(group, r, a?.pointer, other?.pointer, b?.pointer, ctx) == 1
        }
        guard ok, EC_POINT_is_at_infinity(group, r) == 0 else { return nil }
        return result
    }

    /// Uncompressed encoding, 04 ‖ x ‖ y.
    public func encode(_ p: Point) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 1 + 2 * byteLength)
        let n = EC_POINT_point2oct(group, p.pointer, POINT_CONVERSION_UNCOMPRESSED, &out, out.count, ctx)
        return Array(out.prefix(n))
    }

    /// A point from its encoding; nil when it is not on the curve.
    public func decode(_ bytes: [UInt8]) -> Point? {
        guard let p = EC_POINT_new(group) else { return nil }
        let point = Point(p)
        guard EC_POINT_oct2point(group, p, bytes, bytes.count, ctx) == 1, EC_POINT_is_on_curve(group, p, ctx) == 1,
            EC_POINT_is_at_infinity(group, p) == 0
        else { return nil }
        return point
    }

    /// The x coordinate, padded to the field size (the ECDH shared secret).
    public func xCoordinate(_ p: Point) -> [UInt8] {
        Array(encode(p).dropFirst().prefix(byteLength))
    }
}
