package org.lesionlink.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Address ranges and calling-AE entries: matching at the range edges, and errors that name the bad entry. */
class AccessListsTest {

    private static InetSocketAddress at(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 40000);
    }

    @Test
    void cidrRangesMatchExactlyTheirAddresses() throws Exception {
        AddressAllowList l = AddressAllowList.of(List.of("10.1.0.0/16", "192.168.7.9", "172.16.0.0/12", "fd00::/8"));
        assertTrue(l.allows(at("10.1.0.0")));
        assertTrue(l.allows(at("10.1.255.255")));
        assertFalse(l.allows(at("10.2.0.0")));
        assertFalse(l.allows(at("10.0.255.255")));
        assertTrue(l.allows(at("192.168.7.9")));
        assertFalse(l.allows(at("192.168.7.10")));
        assertTrue(l.allows(at("172.31.255.255"))); // /12: a prefix that does not end on a byte
        assertFalse(l.allows(at("172.32.0.0")));
        assertTrue(l.allows(at("fd12:3456::1")));
        assertFalse(l.allows(at("fe80::1")));
        assertFalse(l.allows(at("::ffff:10.2.0.1")), "an IPv4-mapped address is its IPv4 address");
        assertTrue(l.allows(at("::ffff:10.1.0.1")));
        assertTrue(AddressAllowList.of(List.of("0.0.0.0/0")).allows(at("8.8.8.8")));
        assertTrue(AddressAllowList.allowAll().allows(at("8.8.8.8")));
        assertFalse(l.allows(new java.net.SocketAddress() { }), "a non-IP address is refused unless everyone is allowed");
    }

    @Test
    void badEntriesAreNamed() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "::1/129", "no-such-host.invalid", "", "name/8")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressAllowList.of(List.of(bad)),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad.trim() + "'") || bad.isEmpty(), e.getMessage());
        }
    }

    @Test
    void callingAeTitlesWithOptionalHosts() throws Exception {
        CallingAeAllowList l = CallingAeAllowList.of(List.of("PACS@10.0.0.5", "MR1@10.1.0.0/16", "WORKSTATION"));
        assertTrue(l.accept("PACS", "LESIONLINK", at("10.0.0.5")));
        assertTrue(l.accept("PACS  ", "LESIONLINK", at("10.0.0.5")), "trailing spaces are not significant (PS3.5 6.2)");
        assertFalse(l.accept("PACS", "LESIONLINK", at("10.0.0.6")), "the right title from the wrong host");
        assertFalse(l.accept("pacs", "LESIONLINK", at("10.0.0.5")), "AE titles are case sensitive");
        assertTrue(l.accept("MR1", "LESIONLINK", at("10.1.200.3")));
        assertFalse(l.accept("MR1", "LESIONLINK", at("10.2.0.3")));
        assertTrue(l.accept("WORKSTATION", "X", at("8.8.8.8")));
        assertFalse(l.accept("INTRUDER", "LESIONLINK", at("10.0.0.5")));
        assertFalse(l.accept(null, "LESIONLINK", at("10.0.0.5")));
        assertTrue(CallingAeAllowList.of(List.of()).accept("ANYONE", "LESIONLINK", at("8.8.8.8")));
        assertEquals(3, l.entries().size());
    }

    @Test
    void badAeEntriesAreNamed() {
        for (String bad : List.of("@10.0.0.1", "WAY_TOO_LONG_AE_TITLE", "BACK\\SLASH", "PACS@10.0.0.0/40")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CallingAeAllowList.of(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("'" + bad + "'"), e.getMessage());
        }
    }
}
