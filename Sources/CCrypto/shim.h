// OpenSSL's libcrypto (Debian: libssl-dev): 3DES and DES for BAC and secure messaging,
// SHA for key derivation and data-group hashes, CMS and X.509 for passive authentication.
#include <openssl/evp.h>
#include <openssl/cms.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

// Macros and variadic functions do not import into Swift: thin wrappers.
static inline int csw_sk_X509_num(STACK_OF(X509) *s) { return sk_X509_num(s); }
static inline X509 *csw_sk_X509_value(STACK_OF(X509) *s, int i) { return sk_X509_value(s, i); }
static inline void csw_sk_X509_free(STACK_OF(X509) *s) { sk_X509_free(s); }
static inline long csw_bio_mem_data(BIO *b, const unsigned char **out) { return BIO_get_mem_data(b, (char **)out); }
/// A fresh EC key on the named curve ("P-256", "brainpoolP256r1"…).
static inline EVP_PKEY *csw_ec_key(const char *curve) { return EVP_EC_gen(curve); }
/// Adds an X.509 v3 extension given as OpenSSL config text (e.g. "critical,CA:TRUE").
static inline int csw_x509_add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}
