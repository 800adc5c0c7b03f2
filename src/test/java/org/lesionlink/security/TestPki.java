package org.lesionlink.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.testing.Peers;

/**
 * A throw-away PKI made with the openssl command line in a test's temporary folder: a CA, a server certificate for
 * localhost/127.0.0.1 and a client certificate signed by it, and a self-signed "rogue" certificate no one trusts.
 * RSA 2048, PKCS#8 PEM keys, valid for two days. Nothing of it is committed.
 */
public record TestPki(Path dir, Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
        Path rogueCert, Path rogueKey) {

    public static TestPki create(Path dir) throws IOException {
        Peers.requireCommand("openssl");
        Files.createDirectories(dir);
        TestPki p = new TestPki(dir, dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
                dir.resolve("client.pem"), dir.resolve("client.key"), dir.resolve("rogue.pem"), dir.resolve("rogue.key"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("ca.key").toString(), "-out",
                p.caCert.toString(), "-days", "2", "-subj", "/CN=LesionLink Test CA");
        p.issue("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
                p.serverKey, p.serverCert);
        p.issue("client", "/CN=LesionLink Test Client", "extendedKeyUsage=clientAuth\n", p.clientKey, p.clientCert);
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p.rogueKey.toString(), "-out",
                p.rogueCert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        return p;
    }

    /** A certificate and its key. */
    public record Issued(Path cert, Path key) {
    }

    /** A server certificate the CA issues for {@code subjectAltName} only (e.g. {@code DNS:pacs.example.org}). */
    public Issued issueServer(String name, String subjectAltName) throws IOException {
        Issued i = new Issued(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        issue(name, "/CN=" + name, "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n", i.key(), i.cert());
        return i;
    }

    /** An encrypted key and the file holding its password. */
    public record EncryptedKey(Path key, Path passwordFile) {
    }

    /** The server key encrypted with {@code password} (OpenSSL 3's default PKCS#8 PBES2), and a file holding it. */
    public EncryptedKey encryptedServerKey(String password) throws IOException {
        Path passwordFile = dir.resolve("server-key.password");
        Files.writeString(passwordFile, password + "\n");
        Path encrypted = dir.resolve("server-encrypted.key");
        openssl("pkcs8", "-topk8", "-in", serverKey.toString(), "-out", encrypted.toString(), "-passout",
                "file:" + passwordFile);
        return new EncryptedKey(encrypted, passwordFile);
    }

    /** The server key in OpenSSL's traditional (PKCS#1) format. */
    public Path traditionalServerKey() throws IOException {
        Path out = dir.resolve("server-traditional.key");
        openssl("pkey", "-in", serverKey.toString(), "-traditional", "-out", out.toString());
        return out;
    }

    private void issue(String name, String subject, String extensions, Path key, Path cert) throws IOException {
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", dir.resolve("ca.key").toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    }

    private static void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(cmd, 60);
        if (r.exitCode() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + r.stderr());
        }
    }

    /** Server-side settings: our certificate, clients checked against the CA with {@code clientAuth}. */
    public TlsSettings server(String clientAuth) {
        return new TlsSettings(serverCert, serverKey, caCert, clientAuth);
    }

    /** Client-side settings trusting the CA; with our client certificate when {@code mutual}. */
    public TlsSettings client(boolean mutual) {
        return mutual ? new TlsSettings(clientCert, clientKey, caCert, "none") : new TlsSettings(null, null, caCert, "none");
    }
}
