/*
 * err.c - words for enum escrow_err.  No secrets here.
 */
#include "escrow.h"

const char *
escrow_strerror(int err)
{
	switch ((enum escrow_err)err) {
	case ESCROW_OK: return "success";
	case ESCROW_ERR_NOMEM: return "out of memory (or locked memory limit reached: raise `ulimit -l')";
	case ESCROW_ERR_INVALID_ARG: return "invalid argument";
	case ESCROW_ERR_RANDOM: return "the random number generator failed";
	case ESCROW_ERR_CRYPTO: return "a cryptographic operation failed in OpenSSL";
	case ESCROW_ERR_IO: return "input/output error";
	case ESCROW_ERR_EXISTS: return "the file already exists";
	case ESCROW_ERR_SODIUM_INIT: return "libsodium could not be initialised";
	case ESCROW_ERR_HARDEN: return "process hardening (umask, core dumps) failed";
	case ESCROW_ERR_UNSUPPORTED: return "not supported";
	case ESCROW_ERR_BUFFER_TOO_SMALL: return "output buffer too small";

	case ESCROW_ERR_WORD_UNKNOWN: return "a word is not in the SLIP-0039 word list";
	case ESCROW_ERR_MNEMONIC_LENGTH: return "the mnemonic has the wrong number of words";
	case ESCROW_ERR_CHECKSUM: return "the share's checksum is wrong (a word is mistyped or missing)";
	case ESCROW_ERR_PADDING: return "the share's padding bits are not zero (a word is wrong)";
	case ESCROW_ERR_SHARE_PARAMS: return "invalid thresholds or share counts";
	case ESCROW_ERR_SET_MISMATCH: return "the shares belong to different share sets";
	case ESCROW_ERR_DUPLICATE_SHARE: return "the same share was given twice";
	case ESCROW_ERR_TOO_FEW_SHARES: return "not enough shares for a group";
	case ESCROW_ERR_TOO_FEW_GROUPS: return "not enough groups";
	case ESCROW_ERR_TOO_MANY_GROUPS: return "shares from more groups than the group threshold";
	case ESCROW_ERR_GROUP_MISMATCH: return "shares of one group disagree on its threshold";
	case ESCROW_ERR_DIGEST: return "the shares do not combine to a consistent secret (one of them is wrong)";
	case ESCROW_ERR_SECRET_LENGTH: return "invalid secret length";
	case ESCROW_ERR_PASSPHRASE: return "the passphrase has characters outside printable ASCII";
	case ESCROW_ERR_TOO_MANY_SHARES: return "more shares than the group threshold needs";

	case ESCROW_ERR_FORMAT: return "malformed data";
	case ESCROW_ERR_TRUNCATED: return "the data is truncated";
	case ESCROW_ERR_TRAILING: return "unexpected bytes after the end of the data";
	case ESCROW_ERR_VERSION: return "unknown format version";
	case ESCROW_ERR_MAC: return "the envelope's MAC does not match (wrong shares or passphrase, or the envelope was altered)";
	case ESCROW_ERR_UNWRAP: return "the wrapped key did not unwrap (integrity check failed)";
	case ESCROW_ERR_COMMITMENT: return "the share does not match the envelope's commitment";
	case ESCROW_ERR_KEY_MISMATCH: return "the private key does not match its public key";
	case ESCROW_ERR_ALGORITHM: return "unsupported key algorithm or size";
	case ESCROW_ERR_TOO_LARGE: return "too large";
	case ESCROW_ERR_KEY_PARSE: return "the key could not be parsed";
	case ESCROW_ERR_NAME: return "invalid DNS name";
	case ESCROW_ERR_DIGEST_MISMATCH: return "a DS or trust-anchor digest does not match the key";

	case ESCROW_ERR_NO_SYMBOL: return "no QR code found";
	case ESCROW_ERR_CHUNK_FOREIGN: return "a QR chunk belongs to another envelope";
	case ESCROW_ERR_CHUNK_MISSING: return "envelope chunks are missing";
	case ESCROW_ERR_LINE_CHECKSUM: return "a line's checksum is wrong (typing error on that line)";
	case ESCROW_ERR_IMAGE: return "the image could not be read";
	case ESCROW_ERR_RENDER: return "rendering the sheet failed";
	case ESCROW_ERR_PRINT: return "printing failed";
	case ESCROW_ERR_CHUNK_CONFLICT: return "two copies of one chunk disagree";

	case ESCROW_ERR_P11: return "a PKCS#11 call failed";
	case ESCROW_ERR_P11_MODULE: return "the PKCS#11 module could not be loaded";
	case ESCROW_ERR_P11_TOKEN: return "no token matches the PKCS#11 URI";
	case ESCROW_ERR_P11_PIN: return "the token rejected the PIN";
	case ESCROW_ERR_P11_MECHANISM: return "the token lacks a needed mechanism";
	case ESCROW_ERR_P11_OBJECT_EXISTS: return "an object with the same CKA_ID already exists (use --replace)";
	case ESCROW_ERR_P11_VERIFY: return "the test signature made in the token did not verify";
	case ESCROW_ERR_P11_URI: return "invalid PKCS#11 URI";
	case ESCROW_ERR_P11_ATTRIBUTE: return "an object's attributes are not as required";

	case ESCROW_ERR_PROOF: return "a partial signature's proof of correctness fails (changed, made for other data or another key, or with a wrong share)";
	case ESCROW_ERR_POLICY: return "the request breaks its signing policy (validity periods, overlaps or algorithms)";
	case ESCROW_ERR_SCHEMA: return "the document does not follow the KSR schema";
	}
	return "unknown error";
}
