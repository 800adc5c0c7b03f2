// The client of bench/igtl-echo, on the reference C++ library (Debian's libopenigtlink 1.11). The same
// binary measures both servers (LesionLink's `igtl-echo` and echo_server.cxx).
//
//   echo_client <host> <port> [--frames N] [--volumes N] [--window W] [--warmup-frames N] [--warmup-volumes N]
//               [--paced-frames N] [--rate FPS]
//
// Two kinds of IMAGE: a 512x512x1 uint8 frame (256 KiB, an ultrasound-sized 2D frame) and a 256x256x256
// int16 volume (32 MiB, a CT-sized volume). For each kind, after a warm-up:
//   latency     N messages one at a time: send, wait for the echo, Unpack(1) with the CRC check. One
//               sample per message, steady_clock from before Send() to after Unpack(); p50, p99, max.
//   paced       (frames only) the same, but one frame every 1/FPS s (default 200 frames at 32 fps, the rate
//               of the original OpenIGTLink paper's "<10 ms" image latency), so the server idles in between.
//   throughput  2N messages with up to W in flight (a sender thread and this receiving thread), device
//               names Frame_0..Frame_{W-1} in turn so that no two messages in flight share a name (a
//               latest-value server must not coalesce them). Frames/s and MB/s of pixels echoed.
// Every echo is checked: CRC (library), device name <name>_echo, dimensions, scalar type, and in the
// warm-up and latency phases also the pixels byte for byte (outside the timed part). Messages other than IMAGE (keep-alive STATUS) are skipped.
// Messages are packed once before timing, so the client's own packing is not measured; its receiving
// and CRC check are, and are the same for both servers.
//
// Output, one line each: NODELAY ..., RESULT kind=frame|volume phase=latency|throughput ..., and a final
// CHECK line; exit status 1 if any echo was wrong.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "igtlClientSocket.h"
#include "igtlImageMessage.h"
#include "igtlMessageHeader.h"
#include "igtl_bench_common.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Kind {
  std::string name;
  int size[3];
  int scalarType;
  int scalarBytes;
  long bytes() const { return 1L * size[0] * size[1] * size[2] * scalarBytes; }
};

struct Counters {
  long crcFailures = 0, nameMismatches = 0, shapeMismatches = 0, pixelMismatches = 0;
  bool ok() const { return crcFailures + nameMismatches + shapeMismatches + pixelMismatches == 0; }
};

// A counting semaphore (C++11 has none).
class Window {
 public:
  explicit Window(int n) : free_(n) {}
  void acquire() {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [this] { return free_ > 0; });
    free_--;
  }
  void release() {
    std::lock_guard<std::mutex> l(m_);
    free_++;
    cv_.notify_one();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int free_;
};

igtl::ImageMessage::Pointer makeImage(const Kind& k, const std::string& device, std::uint64_t seed) {
  igtl::ImageMessage::Pointer m = igtl::ImageMessage::New();
  m->SetDeviceName(device.c_str());
  m->SetDimensions(k.size[0], k.size[1], k.size[2]);
  m->SetSpacing(0.5f, 0.5f, 1.0f);
  m->SetScalarType(k.scalarType);
  m->SetEndian(igtl::ImageMessage::ENDIAN_LITTLE);
  m->AllocateScalars();
  bench::fill(static_cast<unsigned char*>(m->GetScalarPointer()), k.bytes(), seed);
  m->Pack();
  return m;
}

class Client {
 public:
  explicit Client(igtl::ClientSocket* s) : socket_(s), header_(igtl::MessageHeader::New()), echo_(igtl::ImageMessage::New()) {}

  // Receives the next IMAGE (skipping anything else) and unpacks it with the CRC check. False when the
  // connection ended.
  bool receiveImage(Counters& c) {
    while (true) {
      header_->InitPack();
      if (socket_->Receive(header_->GetPackPointer(), header_->GetPackSize()) != header_->GetPackSize()) return false;
      header_->Unpack();
      if (std::strcmp(header_->GetDeviceType(), "IMAGE") != 0) {
        socket_->Skip(header_->GetBodySizeToRead(), 0);
        continue;
      }
      echo_->SetMessageHeader(header_);
      echo_->AllocatePack();
      if (socket_->Receive(echo_->GetPackBodyPointer(), echo_->GetPackBodySize()) != echo_->GetPackBodySize()) return false;
      if (!(echo_->Unpack(1) & igtl::MessageHeader::UNPACK_BODY)) c.crcFailures++;
      return true;
    }
  }

  // Compares the last echo with what was sent (not timed); the pixels byte for byte when asked.
  void check(igtl::ImageMessage* sent, Counters& c, bool pixels = true) {
    if (bench::echoName(sent->GetDeviceName()) != echo_->GetDeviceName()) c.nameMismatches++;
    int a[3], b[3];
    sent->GetDimensions(a);
    echo_->GetDimensions(b);
    if (!std::equal(a, a + 3, b) || sent->GetScalarType() != echo_->GetScalarType()) {
      c.shapeMismatches++;
      return;
    }
    if (pixels && std::memcmp(sent->GetScalarPointer(), echo_->GetScalarPointer(), sent->GetImageSize()) != 0) {
      c.pixelMismatches++;
    }
  }

  bool send(igtl::ImageMessage* m) { return socket_->Send(m->GetPackPointer(), m->GetPackSize()) == 1; }

 private:
  igtl::ClientSocket* socket_;
  igtl::MessageHeader::Pointer header_;
  igtl::ImageMessage::Pointer echo_;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  // nearest rank
  std::size_t rank = static_cast<std::size_t>(p / 100.0 * v.size() + 0.999999);
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

void printLatency(const Kind& kind, const char* phase, const std::vector<double>& ms, const std::string& extra) {
  double mean = 0;
  for (double x : ms) mean += x;
  mean /= ms.size();
  std::printf("RESULT kind=%s bytes=%ld phase=%s n=%zu%s p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n",
              kind.name.c_str(), kind.bytes(), phase, ms.size(), extra.c_str(), percentile(ms, 50), percentile(ms, 99),
              *std::max_element(ms.begin(), ms.end()), mean);
  std::fflush(stdout);
}

bool runKind(Client& client, const Kind& kind, int n, int warmup, int window, int paced, double rate, Counters& c) {
  std::vector<igtl::ImageMessage::Pointer> msgs;
  for (int i = 0; i < window; i++) msgs.push_back(makeImage(kind, "Frame_" + std::to_string(i), 1000 + i));

  for (int i = 0; i < warmup; i++) {
    if (!client.send(msgs[0]) || !client.receiveImage(c)) return false;
    client.check(msgs[0], c);
  }

  std::vector<double> ms;
  for (int i = 0; i < n; i++) {
    Clock::time_point t0 = Clock::now();
    if (!client.send(msgs[0]) || !client.receiveImage(c)) return false;
    Clock::time_point t1 = Clock::now();
    ms.push_back(bench::seconds(t1 - t0) * 1e3);
    client.check(msgs[0], c);
  }
  printLatency(kind, "latency", ms, "");

  if (paced > 0) {
    // The same one-at-a-time round trip, but at a steady frame rate (the paper's "32 fps"): the server
    // idles between frames, as with a real imaging device.
    std::vector<double> pms;
    std::chrono::nanoseconds period(static_cast<long long>(1e9 / rate));
    Clock::time_point next = Clock::now();
    for (int i = 0; i < paced; i++) {
      next += period;
      std::this_thread::sleep_until(next);
      Clock::time_point t0 = Clock::now();
      if (!client.send(msgs[0]) || !client.receiveImage(c)) return false;
      pms.push_back(bench::seconds(Clock::now() - t0) * 1e3);
      client.check(msgs[0], c);
    }
    char extra[32];
    std::snprintf(extra, sizeof extra, " rate=%g", rate);
    printLatency(kind, "paced", pms, extra);
  }

  int total = 2 * n;
  Window slots(window);
  bool sendFailed = false;
  Clock::time_point start = Clock::now();
  std::thread sender([&] {
    for (int i = 0; i < total; i++) {
      slots.acquire();
      if (!client.send(msgs[i % window])) {
        sendFailed = true;
        return;
      }
    }
  });
  bool ok = true;
  for (int i = 0; i < total && ok; i++) {
    ok = client.receiveImage(c);
    // Echoes come back in order. The CRC is checked for each; names and shapes too, but not the pixels
    // (the latency phase compared them), so that the receiving thread does not compete with the server.
    if (ok) client.check(msgs[i % window], c, false);
    slots.release();
  }
  Clock::time_point end = Clock::now();
  sender.join();
  if (!ok || sendFailed) return false;
  double s = bench::seconds(end - start);
  std::printf("RESULT kind=%s bytes=%ld phase=throughput n=%d window=%d seconds=%.3f fps=%.2f mbps=%.1f\n",
              kind.name.c_str(), kind.bytes(), total, window, s, total / s, total * kind.bytes() / s / 1e6);
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <host> <port> [--frames N] [--volumes N] [--window W] [--warmup-frames N] [--warmup-volumes N]"
                 " [--paced-frames N] [--rate FPS]\n", argv[0]);
    return 2;
  }
  int frames = 500, volumes = 20, window = 4, warmupFrames = 50, warmupVolumes = 3, paced = 200;
  double rate = 32;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (a == "--frames") frames = v;
    else if (a == "--volumes") volumes = v;
    else if (a == "--window") window = std::max(1, v);
    else if (a == "--warmup-frames") warmupFrames = v;
    else if (a == "--warmup-volumes") warmupVolumes = v;
    else if (a == "--paced-frames") paced = v;
    else if (a == "--rate") rate = std::max(1.0, std::atof(argv[i + 1]));
    else { std::fprintf(stderr, "unknown argument %s\n", a.c_str()); return 2; }
  }
  igtl::ClientSocket::Pointer socket = igtl::ClientSocket::New();
  if (socket->ConnectToServer(argv[1], std::atoi(argv[2])) != 0) {
    std::fprintf(stderr, "echo_client: cannot connect to %s:%s\n", argv[1], argv[2]);
    return 1;
  }
  int before = bench::ensureNodelay(socket.GetPointer());
  std::printf("NODELAY client library=%d now=%d\n", before, bench::nodelay(socket.GetPointer()));

  Client client(socket.GetPointer());
  Counters c;
  Kind frame = {"frame", {512, 512, 1}, igtl::ImageMessage::TYPE_UINT8, 1};
  Kind volume = {"volume", {256, 256, 256}, igtl::ImageMessage::TYPE_INT16, 2};
  bool ok = (frames <= 0 || runKind(client, frame, frames, warmupFrames, window, paced, rate, c))
            && (volumes <= 0 || runKind(client, volume, volumes, warmupVolumes, window, 0, rate, c));
  socket->CloseSocket();
  std::printf("CHECK connection=%s crc_failures=%ld name_mismatches=%ld shape_mismatches=%ld pixel_mismatches=%ld\n",
              ok ? "ok" : "LOST", c.crcFailures, c.nameMismatches, c.shapeMismatches, c.pixelMismatches);
  return ok && c.ok() ? 0 : 1;
}
