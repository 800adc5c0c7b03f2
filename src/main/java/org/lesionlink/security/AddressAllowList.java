package org.lesionlink.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client addresses may connect: IPv4 and IPv6 addresses and CIDR ranges ({@code 10.0.0.0/8},
 * {@code 192.168.1.17}, {@code ::1}, {@code fd00::/8}), or host names, resolved once when the list is built (a host
 * that later changes address must be listed by address). An empty list allows everyone.
 */
public final class AddressAllowList {

    private record Range(byte[] network, int prefix, String text) {
        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;
    private final List<String> entries;

    private AddressAllowList(List<Range> ranges, List<String> entries) {
        this.ranges = ranges;
        this.entries = entries;
    }

    /** Everyone is allowed. */
    public static AddressAllowList allowAll() {
        return new AddressAllowList(List.of(), List.of());
    }

    /**
     * Parses the entries.
     *
     * @throws IllegalArgumentException naming the entry that is not an address, a CIDR range or a resolvable host
     */
    public static AddressAllowList of(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String e : entries) {
            ranges.addAll(parse(e));
        }
        return new AddressAllowList(List.copyOf(ranges), List.copyOf(entries));
    }

    static List<Range> parse(String entry) {
        String s = entry == null ? "" : entry.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty address entry");
        }
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        boolean literal = host.matches("[0-9.]+") || host.contains(":");
        if (slash >= 0 && !literal) {
            throw new IllegalArgumentException("'" + entry + "': a CIDR range needs an IP address before the '/'");
        }
        if (host.matches("[0-9.]+") && !host.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")) {
            // checked here: InetAddress would take a malformed dotted quad for a host name and ask DNS
            throw new IllegalArgumentException("'" + entry + "': not an IPv4 address (four numbers 0..255)");
        }
        InetAddress[] addresses;
        try {
            // A literal is parsed without a DNS lookup; anything else is a host name, resolved now.
            addresses = literal ? new InetAddress[] {InetAddress.getByName(host)} : InetAddress.getAllByName(host);
        } catch (UnknownHostException ex) {
            throw new IllegalArgumentException("'" + entry + "': not an IP address, CIDR range or known host name");
        }
        List<Range> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            byte[] bytes = a.getAddress();
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + entry + "': prefix length must be 0.." + bits);
                }
            }
            out.add(new Range(bytes, prefix, s));
        }
        return out;
    }

    public boolean allowsAll() {
        return ranges.isEmpty();
    }

    public boolean allows(InetAddress address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] a = address.getAddress();
        return ranges.stream().anyMatch(r -> r.contains(a));
    }

    /** False for anything but an IP socket address, unless everyone is allowed. */
    public boolean allows(SocketAddress remote) {
        if (ranges.isEmpty()) {
            return true;
        }
        return remote instanceof InetSocketAddress i && i.getAddress() != null && allows(i.getAddress());
    }

    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "everyone" : String.join(", ", entries);
    }
}
