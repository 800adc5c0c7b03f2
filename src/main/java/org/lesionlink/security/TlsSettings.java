package org.lesionlink.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Key material and policy of one TLS endpoint, turned into a Netty {@link SslContext} on the JDK provider (no
 * native library). Protocols TLS 1.3 and 1.2 only; cipher suites are AEAD with forward secrecy (ECDHE/DHE with
 * AES-GCM or ChaCha20-Poly1305), as the BCP 195 TLS Secure Transport Connection Profile of DICOM PS3.15 Annex B.9
 * (RFC 9325) asks; dcmtk's default {@code +py} profile negotiates with it.
 *
 * @param certificate PEM certificate chain presented to the peer (server side: required; client side: only for
 *     mutual TLS)
 * @param privateKey PEM PKCS#8 private key of {@code certificate} ({@code -----BEGIN PRIVATE KEY-----}, as OpenSSL 3
 *     writes it), unencrypted
 * @param trustedCertificates PEM certificates the peer's chain must end in: the server checks client certificates
 *     against them; a client checks the server's (null: the JDK's default trust store)
 * @param clientAuth server side: {@code none}, {@code optional} or {@code required} client certificates
 */
public record TlsSettings(Path certificate, Path privateKey, Path trustedCertificates, String clientAuth) {

    /** Protocol versions offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Cipher suites offered (the JDK's names); those the running JDK lacks are left out. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    public TlsSettings {
        clientAuth = clientAuth == null ? "none" : clientAuth;
        if (!List.of("none", "optional", "required").contains(clientAuth)) {
            throw new IllegalArgumentException("clientAuth must be none, optional or required, got '" + clientAuth + "'");
        }
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificate and privateKey go together: give both or neither");
        }
        if (!clientAuth.equals("none") && trustedCertificates == null) {
            throw new IllegalArgumentException("clientAuth " + clientAuth
                    + " needs trustedCertificates (the CA or certificates client certificates are checked against)");
        }
    }

    /** Server side: requires {@link #certificate()} and {@link #privateKey()}. */
    public SslContext serverContext() {
        if (certificate == null) {
            throw new IllegalArgumentException("a TLS listener needs certificate and privateKey");
        }
        readable(certificate, "certificate");
        readable(privateKey, "privateKey");
        SslContextBuilder b = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile());
        if (trustedCertificates != null) {
            readable(trustedCertificates, "trustedCertificates");
            b.trustManager(trustedCertificates.toFile());
        }
        b.clientAuth(switch (clientAuth) {
            case "optional" -> ClientAuth.OPTIONAL;
            case "required" -> ClientAuth.REQUIRE;
            default -> ClientAuth.NONE;
        });
        return build(b, "server");
    }

    /** Client side: trusts {@link #trustedCertificates()}, presents {@link #certificate()} when given. */
    public SslContext clientContext() {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (trustedCertificates != null) {
            readable(trustedCertificates, "trustedCertificates");
            b.trustManager(trustedCertificates.toFile());
        }
        if (certificate != null) {
            readable(certificate, "certificate");
            readable(privateKey, "privateKey");
            b.keyManager(certificate.toFile(), privateKey.toFile());
        }
        return build(b, "client");
    }

    private static SslContext build(SslContextBuilder b, String side) {
        try {
            return b.sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE).build();
        } catch (SSLException | IllegalArgumentException e) {
            // Netty names the cause (bad PEM, unsupported key type, key not matching the certificate) in the chain.
            Throwable c = e;
            StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
            while ((c = c.getCause()) != null && c.getMessage() != null) {
                why.append(": ").append(c.getMessage());
            }
            throw new IllegalArgumentException("TLS " + side + " context: " + why, e);
        }
    }

    private static void readable(Path p, String key) {
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(key + ": cannot read " + p);
        }
    }
}
