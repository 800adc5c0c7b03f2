package org.lesionlink.security;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.dicom.net.CallingAeFilter;

/**
 * The DICOM calling AE titles that may associate, each optionally bound to hosts: {@code "PACS"} (any host),
 * {@code "PACS@10.1.2.3"}, {@code "MODALITY@10.1.0.0/16"}, {@code "WS@workstation.example.org"}. AE titles compare
 * as PS3.5 section 6.2 says (leading and trailing spaces are not significant, case is). An empty list accepts every
 * calling AE. A refusal becomes A-ASSOCIATE-RJ reason 3, "calling AE title not recognized" (PS3.8 Table 9-21), also
 * when the title is known but the host is not: the peer is not told which of the two failed.
 */
public final class CallingAeAllowList implements CallingAeFilter {

    /** One entry: an AE title and the hosts it may come from (all hosts when {@code hosts} allows all). */
    public record Entry(String aeTitle, AddressAllowList hosts) {
    }

    private final List<Entry> entries;

    private CallingAeAllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses {@code AET} or {@code AET@HOST} entries (HOST: address, CIDR range or host name).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static CallingAeAllowList of(List<String> specs) {
        List<Entry> out = new ArrayList<>();
        for (String spec : specs) {
            int at = spec.lastIndexOf('@');
            String ae = (at < 0 ? spec : spec.substring(0, at)).strip();
            if (ae.isEmpty() || ae.length() > 16 || !ae.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '\\')) {
                throw new IllegalArgumentException("'" + spec + "': the AE title must be 1..16 printable ASCII characters"
                        + " without backslash");
            }
            AddressAllowList hosts;
            try {
                hosts = at < 0 ? AddressAllowList.allowAll() : AddressAllowList.of(List.of(spec.substring(at + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + spec + "': " + e.getMessage());
            }
            out.add(new Entry(ae, hosts));
        }
        return new CallingAeAllowList(out);
    }

    public List<Entry> entries() {
        return entries;
    }

    @Override
    public boolean accept(String callingAe, String calledAe, SocketAddress remote) {
        if (entries.isEmpty()) {
            return true;
        }
        String ae = callingAe == null ? "" : callingAe.strip();
        return entries.stream().anyMatch(e -> e.aeTitle().equals(ae) && e.hosts().allows(remote));
    }
}
