package org.lesionlink.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Key material and policy of one TLS endpoint, turned into a Netty {@link SslContext} on the JDK provider (no
 * native library). Protocols TLS 1.3 and 1.2 only; cipher suites are AEAD with forward secrecy (ECDHE/DHE with
 * AES-GCM or ChaCha20-Poly1305), as the BCP 195 TLS Secure Transport Connection Profile of DICOM PS3.15 Annex B.9
 * (RFC 9325) asks; dcmtk's default {@code +py} profile negotiates with it.
 *
 * @param certificate PEM certificate chain presented to the peer (server side: required; client side: only for
 *     mutual TLS)
 * @param privateKey PEM PKCS#8 private key of {@code certificate}: {@code -----BEGIN PRIVATE KEY-----} or, with
 *     {@code privateKeyPasswordFile}, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} (what {@code openssl genpkey} and
 *     {@code openssl pkcs8 -topk8} write; OpenSSL 3's default PBES2/AES-256-CBC is read)
 * @param trustedCertificates PEM certificates the peer's chain must end in: the server checks client certificates
 *     against them; a client checks the server's (null: the JDK's default trust store)
 * @param clientAuth server side: {@code none}, {@code optional} or {@code required} client certificates
 * @param privateKeyPasswordFile file whose first line is the password of an encrypted {@code privateKey}, so the
 *     password is neither in the configuration nor on a command line; null for an unencrypted key
 * @param verifyHostName client side: the server's certificate must name the host we connect to (a subjectAltName
 *     DNS name or IP address, RFC 6125 / RFC 2818 rules, as BCP 195 asks); off only for peers whose certificates do
 *     not name them, and then any certificate the trusted CA issued is accepted for any host
 */
public record TlsSettings(Path certificate, Path privateKey, Path trustedCertificates, String clientAuth,
        Path privateKeyPasswordFile, boolean verifyHostName) {

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
        if (privateKeyPasswordFile != null && privateKey == null) {
            throw new IllegalArgumentException("privateKeyPasswordFile needs privateKey");
        }
    }

    /** An unencrypted key (if any), host names verified. */
    public TlsSettings(Path certificate, Path privateKey, Path trustedCertificates, String clientAuth) {
        this(certificate, privateKey, trustedCertificates, clientAuth, null, true);
    }

    /** Server side: requires {@link #certificate()} and {@link #privateKey()}. */
    public SslContext serverContext() {
        if (certificate == null) {
            throw new IllegalArgumentException("a TLS listener needs certificate and privateKey");
        }
        readable(certificate, "certificate");
        String password = keyPassword();
        return build("server", () -> {
            SslContextBuilder b = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile(), password);
            if (trustedCertificates != null) {
                readable(trustedCertificates, "trustedCertificates");
                b.trustManager(trustedCertificates.toFile());
            }
            return b.clientAuth(switch (clientAuth) {
                case "optional" -> ClientAuth.OPTIONAL;
                case "required" -> ClientAuth.REQUIRE;
                default -> ClientAuth.NONE;
            });
        });
    }

    /** Client side: trusts {@link #trustedCertificates()}, presents {@link #certificate()} when given. */
    public SslContext clientContext() {
        if (certificate != null) {
            readable(certificate, "certificate");
        }
        String password = certificate == null ? null : keyPassword();
        return build("client", () -> {
            // Netty checks the name given to newHandler(alloc, host, port) against the certificate when this is set.
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm(verifyHostName ? "HTTPS" : null);
            if (trustedCertificates != null) {
                readable(trustedCertificates, "trustedCertificates");
                b.trustManager(trustedCertificates.toFile());
            }
            return certificate == null ? b : b.keyManager(certificate.toFile(), privateKey.toFile(), password);
        });
    }

    /**
     * The password of {@link #privateKey()} from {@link #privateKeyPasswordFile()}, or null; refuses, naming the fix,
     * an encrypted key without a password file, a password file for an unencrypted key, and keys in OpenSSL's
     * traditional formats (the JDK reads only PKCS#8).
     */
    private String keyPassword() {
        readable(privateKey, "privateKey");
        String head;
        try (var lines = Files.lines(privateKey, StandardCharsets.ISO_8859_1)) {
            head = lines.filter(l -> l.startsWith("-----BEGIN ")).findFirst().orElse("");
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("privateKey: cannot read " + privateKey + ": " + e.getMessage(), e);
        }
        if (head.matches("-----BEGIN (RSA|EC|DSA) PRIVATE KEY-----")) {
            throw new IllegalArgumentException("privateKey " + privateKey + " is in OpenSSL's traditional format (" + head
                    + "); LesionLink reads PKCS#8: openssl pkcs8 -topk8 -in KEY -out KEY.p8 (-nocrypt to leave it unencrypted)");
        }
        boolean encrypted = head.equals("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        if (encrypted && privateKeyPasswordFile == null) {
            throw new IllegalArgumentException("privateKey " + privateKey
                    + " is encrypted: give privateKeyPasswordFile (--tls-key-password-file), a file holding its password");
        }
        if (!encrypted && privateKeyPasswordFile != null) {
            throw new IllegalArgumentException("privateKeyPasswordFile given, but privateKey " + privateKey
                    + " is not an encrypted PKCS#8 key (-----BEGIN ENCRYPTED PRIVATE KEY-----)");
        }
        if (privateKeyPasswordFile == null) {
            return null;
        }
        readable(privateKeyPasswordFile, "privateKeyPasswordFile");
        try (var lines = Files.lines(privateKeyPasswordFile, StandardCharsets.UTF_8)) {
            String password = lines.findFirst().orElse("");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("privateKeyPasswordFile " + privateKeyPasswordFile + ": the first line is empty");
            }
            return password;
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("privateKeyPasswordFile: cannot read " + privateKeyPasswordFile, e);
        }
    }

    private SslContext build(String side, Supplier<SslContextBuilder> builder) {
        try {
            return builder.get().sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE).build();
        } catch (SSLException | IllegalArgumentException e) {
            // Netty names the cause (bad PEM, unsupported key type, key not matching the certificate) in the chain.
            Throwable c = e;
            StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
            while ((c = c.getCause()) != null && c.getMessage() != null) {
                why.append(": ").append(c.getMessage());
            }
            if (privateKeyPasswordFile != null) {
                why.append(" (is the password in ").append(privateKeyPasswordFile).append(" the key's?)");
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
