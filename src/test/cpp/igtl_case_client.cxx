// A reference-library (Debian's libopenigtlink-dev 1.11, header version 1) client of `lesionlink serve` that
// sends a whole multi-channel case, as a 3D Slicer or scanner bridge built on the library would:
//
//   igtl_case_client <host> <port> <case.txt> <out.raw>
//
// case.txt (written by ServeDefaultModelIgtlTest.java):
//   model <name>                       chosen first with STRING CMD_1 "Model {"model": name}"
//   dims <nx> <ny> <nz>
//   spacing <sx> <sy> <sz>
//   matrix <tx ty tz sx sy sz nx ny nz cx cy cz>   unit i, j, k axes (RAS) and the volume's centre (RAS)
//   channel <device> <file.raw>        int16 little-endian voxels, i fastest; one line per channel, sent in order
//
// Then waits (blocking, no time limit: the Java test kills it) for the STATUS of "<first device>_seg", and
// writes the labelmap IMAGE "<first device>_seg" voxels to <out.raw>. Prints one "RECV type device crc=ok|FAIL"
// line per message and "SUMMARY crcfail=N ack=TEXT image=WxHxD type=T matrix=... status_code=N status=TEXT".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "igtlClientSocket.h"
#include "igtlImageMessage.h"
#include "igtlMessageHeader.h"
#include "igtlStatusMessage.h"
#include "igtlStringMessage.h"

struct Channel {
  std::string device;
  std::string file;
};

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s host port case.txt out.raw\n", argv[0]);
    return 2;
  }
  FILE* in = std::fopen(argv[3], "r");
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[3]);
    return 2;
  }
  char model[256], key[64], a[1024], b[1024];
  int n[3];
  float spacing[3];
  igtl::Matrix4x4 m;
  igtl::IdentityMatrix(m);
  if (std::fscanf(in, "model %255s dims %d %d %d spacing %f %f %f matrix", model, &n[0], &n[1], &n[2], &spacing[0],
                  &spacing[1], &spacing[2]) != 7) {
    std::fprintf(stderr, "%s: bad header\n", argv[3]);
    return 2;
  }
  for (int c = 0; c < 4; c++)
    for (int r = 0; r < 3; r++)
      if (std::fscanf(in, "%f", &m[r][c]) != 1) {
        std::fprintf(stderr, "%s: bad matrix\n", argv[3]);
        return 2;
      }
  std::vector<Channel> channels;
  while (std::fscanf(in, "%63s %1023s %1023s", key, a, b) == 3 && std::strcmp(key, "channel") == 0) {
    Channel ch = {a, b};
    channels.push_back(ch);
  }
  std::fclose(in);
  if (channels.empty()) {
    std::fprintf(stderr, "%s: no channel lines\n", argv[3]);
    return 2;
  }

  igtl::ClientSocket::Pointer socket = igtl::ClientSocket::New();
  if (socket->ConnectToServer(argv[1], std::atoi(argv[2])) != 0) {
    std::fprintf(stderr, "cannot connect to %s:%s\n", argv[1], argv[2]);
    return 1;
  }

  // v1 clients cannot send metadata: the model is chosen with a command first, so that routing by channel
  // set never matters (t1 + t2 alone would name the spine model).
  igtl::StringMessage::Pointer choose = igtl::StringMessage::New();
  choose->SetDeviceName("CMD_1");
  choose->SetString((std::string("Model {\"model\": \"") + model + "\"}").c_str());
  choose->Pack();
  socket->Send(choose->GetPackPointer(), choose->GetPackSize());

  const unsigned short one = 1;
  const bool little = *reinterpret_cast<const unsigned char*>(&one) == 1;
  const size_t voxels = static_cast<size_t>(n[0]) * n[1] * n[2];
  for (size_t c = 0; c < channels.size(); c++) {
    igtl::ImageMessage::Pointer image = igtl::ImageMessage::New();
    image->SetDeviceName(channels[c].device.c_str());
    image->SetDimensions(n[0], n[1], n[2]);
    image->SetSpacing(spacing[0], spacing[1], spacing[2]);
    image->SetScalarType(igtl::ImageMessage::TYPE_INT16);
    image->SetCoordinateSystem(igtl::ImageMessage::COORDINATE_RAS);
    // 1.11 labels images big-endian by default but never swaps the voxels: declare the host's order (the
    // raw files are little-endian, so this client runs on little-endian hosts only).
    if (!little) {
      std::fprintf(stderr, "big-endian host: not supported\n");
      return 2;
    }
    image->SetEndian(igtl::ImageMessage::ENDIAN_LITTLE);
    image->SetMatrix(m);
    image->AllocateScalars();
    FILE* f = std::fopen(channels[c].file.c_str(), "rb");
    if (!f || std::fread(image->GetScalarPointer(), 2, voxels, f) != voxels) {
      std::fprintf(stderr, "cannot read %zu int16 voxels from %s\n", voxels, channels[c].file.c_str());
      return 2;
    }
    std::fclose(f);
    image->Pack();
    socket->Send(image->GetPackPointer(), image->GetPackSize());
  }

  const std::string seg = channels[0].device + "_seg";
  int crcfail = 0, statusCode = -1, dims[3] = {0, 0, 0}, scalarType = -1;
  igtl::Matrix4x4 segMatrix;
  igtl::IdentityMatrix(segMatrix);
  float segSpacing[3] = {0, 0, 0};
  std::string ack, statusText;
  while (statusCode < 0) {
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
    std::fflush(stdout);
    if (!ok) continue;
    if (type == "IMAGE" && device == seg) {
      igtl::ImageMessage* im = static_cast<igtl::ImageMessage*>(body.GetPointer());
      im->GetDimensions(dims);
      im->GetSpacing(segSpacing);
      im->GetMatrix(segMatrix);
      scalarType = im->GetScalarType();
      FILE* f = std::fopen(argv[4], "wb");
      std::fwrite(im->GetScalarPointer(), 1, im->GetImageSize(), f);
      std::fclose(f);
    } else if (type == "STRING" && device == "ACK_1") {
      ack = static_cast<igtl::StringMessage*>(body.GetPointer())->GetString();
    } else if (type == "STATUS" && device == seg) {
      igtl::StatusMessage* st = static_cast<igtl::StatusMessage*>(body.GetPointer());
      statusCode = st->GetCode();
      statusText = st->GetStatusString();
    }
  }
  socket->CloseSocket();
  std::printf("SUMMARY crcfail=%d ack=%s image=%dx%dx%d type=%d spacing=%.4f,%.4f,%.4f matrix=", crcfail, ack.c_str(),
              dims[0], dims[1], dims[2], scalarType, segSpacing[0], segSpacing[1], segSpacing[2]);
  for (int c = 0; c < 4; c++)
    for (int r = 0; r < 3; r++) std::printf("%s%.4f", c == 0 && r == 0 ? "" : ",", segMatrix[r][c]);
  std::printf(" status_code=%d status=%s\n", statusCode, statusText.c_str());
  return 0;
}
