package org.lesionlink.cli;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import org.lesionlink.security.TlsSettings;
import picocli.CommandLine.Option;

/** TLS options of the DICOM client commands ({@code echo}, {@code store}), a picocli mixin. */
final class ClientTlsOptions {

    @Option(names = "--tls", description = "Connect with TLS (PS3.15 Annex B); implied by the other --tls-* options.")
    boolean tls;

    @Option(names = "--tls-trust", paramLabel = "PEM",
            description = "Certificates the server's chain must end in (default: the JDK's trust store).")
    Path trust;

    @Option(names = "--tls-certificate", paramLabel = "PEM", description = "Our certificate chain, for mutual TLS.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Its PKCS#8 private key.")
    Path key;

    @Option(names = "--tls-key-password-file", paramLabel = "FILE",
            description = "File whose first line is the password of an encrypted --tls-key.")
    Path keyPasswordFile;

    @Option(names = "--tls-no-verify-host-name",
            description = "Accept a server certificate that does not name the host connected to (default: it must).")
    boolean noVerifyHostName;

    /** A client context, or null for plain TCP. */
    SslContext context() {
        if (!tls && trust == null && certificate == null && key == null && keyPasswordFile == null && !noVerifyHostName) {
            return null;
        }
        return new TlsSettings(certificate, key, trust, "none", keyPasswordFile, !noVerifyHostName).clientContext();
    }
}
