// Helpers shared by the igtl-echo benchmark programs (LesionLink's own code, written against the public
// API of Debian's libopenigtlink-dev 1.11).
#ifndef LESIONLINK_IGTL_BENCH_COMMON_H
#define LESIONLINK_IGTL_BENCH_COMMON_H

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "igtlSocket.h"

namespace bench {

// The socket descriptor of an igtl::Socket. The library keeps it in a protected member and exposes no
// accessor, so a pointer-to-member is formed in a derived class (where access is allowed) and applied
// to the base object; nothing is instantiated.
struct SocketFd : igtl::Socket {
  static int of(igtl::Socket* s) { return s->*(&SocketFd::m_SocketDescriptor); }
};

// TCP_NODELAY of the socket: 1 on, 0 off, -1 unknown.
inline int nodelay(igtl::Socket* s) {
  int on = 0;
  socklen_t len = sizeof(on);
  if (getsockopt(SocketFd::of(s), IPPROTO_TCP, TCP_NODELAY, &on, &len) != 0) return -1;
  return on ? 1 : 0;
}

// Turns TCP_NODELAY on; returns what the library had set (1, 0 or -1), so callers can report it.
inline int ensureNodelay(igtl::Socket* s) {
  int before = nodelay(s);
  int on = 1;
  setsockopt(SocketFd::of(s), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
  return before;
}

// Deterministic test bytes (xorshift64, little-endian words); LesionLink's Java CRC benchmark uses the
// same generator, so both sides checksum identical buffers.
inline void fill(unsigned char* p, std::size_t n, std::uint64_t seed) {
  std::uint64_t x = seed ? seed : 0x9E3779B97F4A7C15ULL;
  std::size_t i = 0;
  while (i < n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    for (int b = 0; b < 8 && i < n; b++, i++) p[i] = static_cast<unsigned char>(x >> (8 * b));
  }
}

inline double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// "<name>_echo", the name cut so that the result fits the 20-byte device name field (as igtl-echo does).
inline std::string echoName(const std::string& name) {
  const std::string suffix = "_echo";
  return name.substr(0, 20 - suffix.size()) + suffix;
}

}  // namespace bench

#endif
