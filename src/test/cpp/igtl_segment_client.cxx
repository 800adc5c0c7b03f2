// A reference-library (Debian's libopenigtlink-dev 1.11, header version 1) client of `lesionlink serve`:
//
//   igtl_segment_client <host> <port> <nx> <ny> <nz> <ci> <cj> <ck> <radius> <out.raw>
//
// Sends one IMAGE "T1c" (float32, 2 mm spacing, origin (-40,-30,-20) of voxel 0, RAS, identity directions):
// 100 everywhere, 400 within <radius> voxels of voxel (ci, cj, ck); then STRING "CMD_1" = "Segment". Reads
// (each message unpacked with the library's CRC check) until the STATUS of "T1c_seg" or 60 s, writes the
// received labelmap IMAGE "T1c_seg" voxels to <out.raw> and prints one "RECV type device crc=ok|FAIL" line
// per message and "SUMMARY crcfail=N ack=TEXT image=WxHxD type=T status_code=N status=TEXT".
// ServeReferenceClientTest.java compiles and runs it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "igtlClientSocket.h"
#include "igtlImageMessage.h"
#include "igtlMessageHeader.h"
#include "igtlStatusMessage.h"
#include "igtlStringMessage.h"

int main(int argc, char** argv) {
  if (argc != 11) {
    std::fprintf(stderr, "usage: %s host port nx ny nz ci cj ck radius out.raw\n", argv[0]);
    return 2;
  }
  int n[3] = {std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5])};
  double c[3] = {std::atof(argv[6]), std::atof(argv[7]), std::atof(argv[8])};
  double r = std::atof(argv[9]);
  igtl::ClientSocket::Pointer socket = igtl::ClientSocket::New();
  if (socket->ConnectToServer(argv[1], std::atoi(argv[2])) != 0) {
    std::fprintf(stderr, "cannot connect to %s:%s\n", argv[1], argv[2]);
    return 1;
  }
  socket->SetReceiveTimeout(1000);

  igtl::ImageMessage::Pointer image = igtl::ImageMessage::New();
  image->SetDeviceName("T1c");
  image->SetDimensions(n[0], n[1], n[2]);
  image->SetSpacing(2.0f, 2.0f, 2.0f);
  image->SetScalarType(igtl::ImageMessage::TYPE_FLOAT32);
  image->SetCoordinateSystem(igtl::ImageMessage::COORDINATE_RAS);
  // 1.11 labels images big-endian by default but never swaps the voxels: declare the host's order.
  const unsigned short one = 1;
  image->SetEndian(*reinterpret_cast<const unsigned char*>(&one) == 1 ? igtl::ImageMessage::ENDIAN_LITTLE
                                                                     : igtl::ImageMessage::ENDIAN_BIG);
  // The library's origin is the centre of the volume: voxel 0 at (-40,-30,-20) plus half the extent.
  float centre[3];
  float corner[3] = {-40.0f, -30.0f, -20.0f};
  for (int a = 0; a < 3; a++) centre[a] = corner[a] + 2.0f * (n[a] - 1) / 2.0f;
  image->SetOrigin(centre);
  image->AllocateScalars();
  float* px = static_cast<float*>(image->GetScalarPointer());
  for (int k = 0; k < n[2]; k++)
    for (int j = 0; j < n[1]; j++)
      for (int i = 0; i < n[0]; i++) {
        double dx = i - c[0], dy = j - c[1], dz = k - c[2];
        px[i + n[0] * (j + n[1] * k)] = (dx * dx + dy * dy + dz * dz <= r * r) ? 400.0f : 100.0f;
      }
  image->Pack();
  socket->Send(image->GetPackPointer(), image->GetPackSize());

  igtl::StringMessage::Pointer str = igtl::StringMessage::New();
  str->SetDeviceName("CMD_1");
  str->SetString("Segment");
  str->Pack();
  socket->Send(str->GetPackPointer(), str->GetPackSize());

  int crcfail = 0, statusCode = -1, dims[3] = {0, 0, 0}, scalarType = -1;
  std::string ack, statusText;
  std::time_t deadline = std::time(0) + 60;
  while (statusCode < 0 && std::time(0) < deadline) {
    igtl::MessageHeader::Pointer h = igtl::MessageHeader::New();
    h->InitPack();
    int got = socket->Receive(h->GetPackPointer(), h->GetPackSize());
    if (got == 0) break;
    if (got != h->GetPackSize()) continue;
    h->Unpack();
    std::string type = h->GetDeviceType();
    std::string device = h->GetDeviceName();
    igtl::MessageBase::Pointer body;
    if (type == "IMAGE") body = igtl::ImageMessage::New();
    else if (type == "STATUS") body = igtl::StatusMessage::New();
    else if (type == "STRING") body = igtl::StringMessage::New();
    else {
      socket->Skip(h->GetBodySizeToRead(), 0);
      std::printf("RECV %s %s skipped\n", type.c_str(), device.c_str());
      continue;
    }
    body->SetMessageHeader(h);
    body->AllocatePack();
    socket->Receive(body->GetPackBodyPointer(), body->GetPackBodySize());
    int u = body->Unpack(1);
    bool ok = (u & igtl::MessageHeader::UNPACK_BODY) != 0;
    if (!ok) crcfail++;
    std::printf("RECV %s %s crc=%s\n", type.c_str(), device.c_str(), ok ? "ok" : "FAIL");
    if (!ok) continue;
    if (type == "IMAGE" && device == "T1c_seg") {
      igtl::ImageMessage* im = static_cast<igtl::ImageMessage*>(body.GetPointer());
      im->GetDimensions(dims);
      scalarType = im->GetScalarType();
      FILE* f = std::fopen(argv[10], "wb");
      std::fwrite(im->GetScalarPointer(), 1, im->GetImageSize(), f);
      std::fclose(f);
    } else if (type == "STRING" && device == "ACK_1") {
      ack = static_cast<igtl::StringMessage*>(body.GetPointer())->GetString();
    } else if (type == "STATUS" && device == "T1c_seg") {
      igtl::StatusMessage* st = static_cast<igtl::StatusMessage*>(body.GetPointer());
      statusCode = st->GetCode();
      statusText = st->GetStatusString();
    }
  }
  socket->CloseSocket();
  std::printf("SUMMARY crcfail=%d ack=%s image=%dx%dx%d type=%d status_code=%d status=%s\n", crcfail, ack.c_str(),
              dims[0], dims[1], dims[2], scalarType, statusCode, statusText.c_str());
  return 0;
}
