// CRC-64 throughput of the reference library: `crc64()` from libOpenIGTLink 1.11 (declared in igtl_util.h;
// the exported symbol is `crc64`, there is no `igtl_crc64`), the function MessageBase::Pack() and
// Unpack(1) use, over a 256 MiB buffer of deterministic bytes (the same generator as LesionLink's
// org.lesionlink.bench.Crc64Bench, so both print the same CRC).
//
//   crc_bench [MiB] [runs]     (defaults 256, 5)
//
// Prints: CRC impl=libOpenIGTLink-1.11 bytes=N crc=0x... best_gbps=X median_gbps=Y   (GB = 1e9 bytes)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "igtl_util.h"
#include "igtl_bench_common.h"

int main(int argc, char** argv) {
  std::size_t mib = argc > 1 ? std::strtoul(argv[1], 0, 10) : 256;
  int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  std::size_t n = mib << 20;
  std::vector<unsigned char> buf(n);
  bench::fill(buf.data(), n, 42);
  std::vector<double> gbps;
  igtl_uint64 crc = 0;
  for (int r = 0; r < runs; r++) {
    auto t0 = std::chrono::steady_clock::now();
    crc = crc64(buf.data(), n, 0);
    double s = bench::seconds(std::chrono::steady_clock::now() - t0);
    gbps.push_back(n / s / 1e9);
  }
  std::sort(gbps.begin(), gbps.end());
  std::printf("CRC impl=libOpenIGTLink-1.11 bytes=%zu crc=0x%016llx best_gbps=%.3f median_gbps=%.3f\n", n,
              static_cast<unsigned long long>(crc), gbps.back(), gbps[gbps.size() / 2]);
  return 0;
}
