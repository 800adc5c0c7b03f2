// Reference side of bench/igtl-echo: an OpenIGTLink echo server on the reference C++ library (Debian's
// libopenigtlink 1.11), doing what `lesionlink igtl-echo` does for IMAGE.
//
//   echo_server <port> [--mode copy|inplace]
//
// For each IMAGE: receive the header and body, Unpack(1) (which checks the CRC-64 and parses the image
// header), then send an echo named <name>_echo with the same geometry, scalar type, endianness and
// pixels, packed by the library (which computes the CRC again). Two ways of repacking:
//   copy     (default) a new ImageMessage: dimensions, sub-volume, spacing, matrix, type, endian,
//            coordinate system and components copied, AllocateScalars(), memcpy of the pixels, Pack().
//            This is how the library's own servers build an IMAGE to send.
//   inplace  the received message itself is renamed and packed again, so the pixels are not copied (the
//            library packs the image header in front of the pixels already in its buffer). The cheapest
//            echo the library allows.
// Message objects are reused from one IMAGE to the next, so steady state allocates nothing. Other
// message types are skipped. One client at a time; the server runs until killed. Prints
// "LISTENING <port>" once ready and one "NODELAY" line per connection.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "igtlImageMessage.h"
#include "igtlMessageHeader.h"
#include "igtlServerSocket.h"
#include "igtl_bench_common.h"

namespace {

bool inPlace = false;

// Copies everything an IMAGE carries, except the pixels, from `in` to `out`.
void copyImageFields(igtl::ImageMessage* in, igtl::ImageMessage* out) {
  int size[3], sub[3], off[3];
  float spacing[3];
  igtl::Matrix4x4 m;
  in->GetDimensions(size);
  in->GetSubVolume(sub, off);
  in->GetSpacing(spacing);
  in->GetMatrix(m);
  out->SetDimensions(size);
  out->SetSubVolume(sub, off);
  out->SetSpacing(spacing);
  out->SetMatrix(m);
  out->SetScalarType(in->GetScalarType());
  out->SetEndian(in->GetEndian());
  out->SetCoordinateSystem(in->GetCoordinateSystem());
  out->SetNumComponents(in->GetNumComponents());
  unsigned int sec = 0, frac = 0;
  in->GetTimeStamp(&sec, &frac);
  out->SetTimeStamp(sec, frac);
}

void serve(igtl::Socket* socket) {
  igtl::MessageHeader::Pointer header = igtl::MessageHeader::New();
  igtl::ImageMessage::Pointer received = igtl::ImageMessage::New();
  igtl::ImageMessage::Pointer reply = igtl::ImageMessage::New();
  long echoed = 0, crcFailures = 0, skipped = 0;
  while (true) {
    header->InitPack();
    int r = socket->Receive(header->GetPackPointer(), header->GetPackSize());
    if (r != header->GetPackSize()) break;  // closed (or broken)
    header->Unpack();
    if (std::strcmp(header->GetDeviceType(), "IMAGE") != 0) {
      socket->Skip(header->GetBodySizeToRead(), 0);
      skipped++;
      continue;
    }
    received->SetMessageHeader(header);
    received->AllocatePack();
    if (socket->Receive(received->GetPackBodyPointer(), received->GetPackBodySize()) != received->GetPackBodySize()) break;
    if (!(received->Unpack(1) & igtl::MessageHeader::UNPACK_BODY)) {
      crcFailures++;
      std::fprintf(stderr, "echo_server: CRC check failed on IMAGE %s; skipped\n", received->GetDeviceName());
      continue;
    }
    std::string name = bench::echoName(received->GetDeviceName());
    igtl::ImageMessage* out;
    if (inPlace) {
      received->SetDeviceName(name.c_str());
      out = received.GetPointer();
    } else {
      copyImageFields(received.GetPointer(), reply.GetPointer());
      reply->SetDeviceName(name.c_str());
      reply->AllocateScalars();
      std::memcpy(reply->GetScalarPointer(), received->GetScalarPointer(), received->GetSubVolumeImageSize());
      out = reply.GetPointer();
    }
    out->Pack();
    if (!socket->Send(out->GetPackPointer(), out->GetPackSize())) break;
    echoed++;
  }
  std::printf("DISCONNECTED echoed=%ld crc_failures=%ld skipped=%ld\n", echoed, crcFailures, skipped);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <port> [--mode copy|inplace]\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  for (int i = 2; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--mode" && i + 1 < argc) {
      std::string m = argv[++i];
      if (m == "inplace") inPlace = true;
      else if (m != "copy") { std::fprintf(stderr, "unknown mode %s\n", m.c_str()); return 2; }
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  igtl::ServerSocket::Pointer server = igtl::ServerSocket::New();
  if (server->CreateServer(port) < 0) {
    std::fprintf(stderr, "echo_server: cannot listen on port %d\n", port);
    return 1;
  }
  std::printf("LISTENING %d mode=%s\n", port, inPlace ? "inplace" : "copy");
  std::fflush(stdout);
  while (true) {
    igtl::ClientSocket::Pointer socket = server->WaitForConnection(1000);
    if (socket.IsNull()) continue;
    int before = bench::ensureNodelay(socket.GetPointer());
    std::printf("NODELAY server library=%d now=%d\n", before, bench::nodelay(socket.GetPointer()));
    std::fflush(stdout);
    serve(socket.GetPointer());
    socket->CloseSocket();
  }
}
