import XCTest
import CNcurses
import CCurl
import COpenSSL

/// The C system libraries link and answer: catches a missing -dev package or a broken shim early.
final class SystemLibrariesTests: XCTestCase {
    func testCurlLinksWithTLS() {
        let info = cc_version_info()!.pointee
        let version = String(cString: info.version)
        XCTAssertFalse(version.isEmpty)
        XCTAssertNotNil(info.ssl_version, "libcurl was built without TLS")
        let handle = curl_easy_init()
        XCTAssertNotNil(handle)
        XCTAssertEqual(cc_setopt_long(handle, CURLOPT_NOSIGNAL, 1), CURLE_OK)
        curl_easy_cleanup(handle)
    }

    func testOpenSSLSignsAndVerifies() throws {
        let key = try XCTUnwrap(co_rsa_gen(2048))
        defer { EVP_PKEY_free(key) }
        XCTAssertEqual(EVP_PKEY_get_size(key), 256)
        let message = Array("payload".utf8)
        let ctx = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(ctx) }
        XCTAssertEqual(EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, key), 1)
        var length = 0
        XCTAssertEqual(EVP_DigestSign(ctx, nil, &length, message, message.count), 1)
        var signature = [UInt8](repeating: 0, count: length)
        XCTAssertEqual(EVP_DigestSign(ctx, &signature, &length, message, message.count), 1)
        let vctx = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(vctx) }
        XCTAssertEqual(EVP_DigestVerifyInit(vctx, nil, EVP_sha256(), nil, key), 1)
        XCTAssertEqual(EVP_DigestVerify(vctx, signature, length, message, message.count), 1)
        signature[0] ^= 1
        XCTAssertNotEqual(EVP_DigestVerify(vctx, signature, length, message, message.count), 1)
    }

    func testNcursesWideCharacterAPIIsVisible() {
        // Only symbols: never initscr() in a test process (it exits without a terminal).
        XCTAssertNotEqual(cn_a_bold(), 0)
        XCTAssertEqual(cn_key_f(1), KEY_F0 + 1)
        let version = String(cString: curses_version())
        XCTAssertTrue(version.contains("ncurses"), version)
    }
}
