package org.lesionlink.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP endpoints of {@code lesionlink serve} (Netty codec-http, GET only): {@code /health},
 * {@code /metrics} (Prometheus text), {@code /jobs}, {@code /jobs/{id}}, {@code /jobs/{id}/report.html}
 * and the page's PNGs {@code /jobs/{id}/<name>.png}.
 *
 * <p>With a bearer token configured every path but {@code /health} (for load balancers and probes) needs
 * {@code Authorization: Bearer <token>} (RFC 6750); otherwise the answer is 401 with {@code WWW-Authenticate}
 * (section 3), audited. The token is compared in constant time. With TLS settings the port speaks HTTPS only
 * (TLS 1.2/1.3 as the other listeners, {@link org.lesionlink.security.TlsSettings}); a plain request there gets its
 * connection closed after a failed handshake.
 */
final class HttpApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern JOB = Pattern.compile("/jobs/([A-Za-z0-9_.-]+)(?:/([A-Za-z0-9_.-]+))?");

    private final EventLoopGroup group;
    private final Channel channel;
    private final JobQueue queue;
    private final Metrics metrics;
    private final Path jobsDir;
    private final Supplier<Map<String, Object>> health;
    private final Supplier<String> metricsText;
    private final byte[] token;
    private final org.lesionlink.security.AuditLog audit;

    HttpApi(String bind, int port, JobQueue queue, Metrics metrics, Path jobsDir, Supplier<Map<String, Object>> health,
            Supplier<String> metricsText) throws IOException {
        this(bind, port, queue, metrics, jobsDir, health, metricsText, null, null, null);
    }

    /** {@code bearerToken} null: no authentication; {@code audit} null: nothing audited; {@code tls} null: plain HTTP. */
    HttpApi(String bind, int port, JobQueue queue, Metrics metrics, Path jobsDir, Supplier<Map<String, Object>> health,
            Supplier<String> metricsText, String bearerToken, org.lesionlink.security.AuditLog audit,
            io.netty.handler.ssl.SslContext tls) throws IOException {
        this.token = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
        this.audit = audit;
        this.queue = queue;
        this.metrics = metrics;
        this.jobsDir = jobsDir;
        this.health = health;
        this.metricsText = metricsText;
        this.group = new NioEventLoopGroup(1);
        try {
            this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
                        }
                    }).bind(bind, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully();
            throw new IOException("HTTP: cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            FullHttpResponse res;
            try {
                res = authorize(ctx, req);
                if (res == null) {
                    res = route(req);
                }
            } catch (Exception e) {
                res = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", "error: " + e.getMessage() + "\n");
            }
            metrics.httpBytesOut.addAndGet(res.content().readableBytes());
            boolean keep = HttpUtil.isKeepAlive(req);
            HttpUtil.setContentLength(res, res.content().readableBytes());
            if (keep) {
                HttpUtil.setKeepAlive(res, true);
                ctx.writeAndFlush(res);
            } else {
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Null when the request may go on; else the 401 answer (RFC 6750 section 3). */
    private FullHttpResponse authorize(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (token == null) {
            return null;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals("/health")) {
            return null;
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String challenge = "Bearer realm=\"lesionlink\"";
        String why;
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            why = "no bearer token";
        } else if (java.security.MessageDigest.isEqual(token, auth.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
            return null;
        } else {
            why = "wrong bearer token";
            challenge += ", error=\"invalid_token\"";
        }
        if (audit != null) {
            audit.record("http-refused", "remote", AuditEvents.text(ctx.channel().remoteAddress()), "path", path,
                    "reason", why);
        }
        FullHttpResponse res = text(HttpResponseStatus.UNAUTHORIZED, "text/plain; charset=utf-8",
                "401: " + why + "; send Authorization: Bearer <token> (only /health is open)\n");
        res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        return res;
    }

    private FullHttpResponse route(FullHttpRequest req) throws IOException {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "GET only\n");
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals("/health")) {
            Map<String, Object> h = health.get();
            boolean up = "up".equals(h.get("status"));
            return json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
        }
        if (path.equals("/metrics")) {
            return text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", metricsText.get());
        }
        if (path.equals("/jobs") || path.equals("/jobs/")) {
            List<Object> list = new ArrayList<>();
            for (Job j : queue.jobs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("job", j.id());
                m.put("state", j.state().id());
                m.put("source", j.source().id());
                m.put("model", j.model());
                m.put("submitted", j.submitted().toString());
                m.put("elapsedMs", j.elapsedMs());
                list.add(m);
            }
            return json(HttpResponseStatus.OK, Map.of("jobs", list));
        }
        Matcher m = JOB.matcher(path);
        if (m.matches()) {
            String id = m.group(1);
            String file = m.group(2);
            Optional<Job> job = queue.find(id);
            if (file == null) {
                if (job.isPresent()) {
                    return json(HttpResponseStatus.OK, job.get().toJson());
                }
                Path stored = jobsDir.resolve(id).resolve("report.json");
                if (Files.isRegularFile(stored)) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("job", id);
                    r.put("state", "done");
                    r.put("report", JSON.readValue(stored.toFile(), Map.class));
                    return json(HttpResponseStatus.OK, r);
                }
                return json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no job " + id));
            }
            Path f = jobsDir.resolve(id).resolve(file);
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".png") ? "image/png" : file.endsWith(".json") ? "application/json" : null;
            if (type != null && Files.isRegularFile(f)) {
                DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(Files.readAllBytes(f)));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
                return res;
            }
            return text(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found: " + path + "\n");
        }
        return text(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                "not found: " + path + " (try /health, /metrics, /jobs)\n");
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object body) throws IOException {
        return text(status, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String type, String body) {
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return res;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
