// A reference-library client for LesionLink's server tests, built against Debian's libopenigtlink-dev
// 1.11, which speaks header version 1 only and loses framing on a version-2 message.
//
//   igtl_reference_client <host> <port>
//
// Sends IMAGE "Image_Reference" (16x16x1 uint8), ten TRANSFORMs "ProbeToTracker" (x = 0..9), STATUS
// "Scanner" and STRING "CMD_1", then reads until it has the IMAGE echo, the echo of the last TRANSFORM, a
// STRING and a STATUS reply (or 20 s pass). Every message is unpacked with the library's CRC check. Prints
// one "RECV version type device crc=ok|FAIL" line per message and a final
// "SUMMARY received=N v2=N crcfail=N image=ok|bad last_x=F string=TEXT status_code=N".
// ReferenceServerInteropTest.java runs it against IgtlServer.
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "igtlClientSocket.h"
#include "igtlImageMessage.h"
#include "igtlMessageHeader.h"
#include "igtlStatusMessage.h"
#include "igtlStringMessage.h"
#include "igtlTransformMessage.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <host> <port>\n", argv[0]);
    return 2;
  }
  igtl::ClientSocket::Pointer socket = igtl::ClientSocket::New();
  if (socket->ConnectToServer(argv[1], std::atoi(argv[2])) != 0) {
    std::fprintf(stderr, "cannot connect to %s:%s\n", argv[1], argv[2]);
    return 1;
  }
  socket->SetReceiveTimeout(1000);

  igtl::ImageMessage::Pointer image = igtl::ImageMessage::New();
  image->SetDeviceName("Image_Reference");
  image->SetDimensions(16, 16, 1);
  image->SetSpacing(0.5f, 0.5f, 1.0f);
  image->SetScalarTypeToUint8();
  image->AllocateScalars();
  unsigned char* px = static_cast<unsigned char*>(image->GetScalarPointer());
  for (int i = 0; i < 256; i++) px[i] = static_cast<unsigned char>(i);
  image->Pack();
  socket->Send(image->GetPackPointer(), image->GetPackSize());

  for (int i = 0; i < 10; i++) {
    igtl::TransformMessage::Pointer t = igtl::TransformMessage::New();
    t->SetDeviceName("ProbeToTracker");
    igtl::Matrix4x4 m;
    igtl::IdentityMatrix(m);
    m[0][3] = static_cast<float>(i);
    t->SetMatrix(m);
    t->Pack();
    socket->Send(t->GetPackPointer(), t->GetPackSize());
  }

  igtl::StatusMessage::Pointer status = igtl::StatusMessage::New();
  status->SetDeviceName("Scanner");
  status->SetCode(igtl::StatusMessage::STATUS_OK);
  status->SetStatusString("ready");
  status->Pack();
  socket->Send(status->GetPackPointer(), status->GetPackSize());

  igtl::StringMessage::Pointer str = igtl::StringMessage::New();
  str->SetDeviceName("CMD_1");
  str->SetString("<Command Name=\"Ping\"/>");
  str->Pack();
  socket->Send(str->GetPackPointer(), str->GetPackSize());

  int received = 0, v2 = 0, crcfail = 0, statusCode = -1;
  bool imageOk = false, haveImage = false, haveLast = false;
  float lastX = -1;
  std::string text;
  std::time_t deadline = std::time(0) + 20;
  while (!(haveImage && haveLast && !text.empty() && statusCode >= 0) && std::time(0) < deadline) {
    igtl::MessageHeader::Pointer h = igtl::MessageHeader::New();
    h->InitPack();
    int r = socket->Receive(h->GetPackPointer(), h->GetPackSize());
    if (r == 0) break;                        // closed
    if (r != h->GetPackSize()) continue;      // receive timeout, try again
    const unsigned char* raw = static_cast<const unsigned char*>(h->GetPackPointer());
    int version = (raw[0] << 8) | raw[1];     // before Unpack: the library would not tell
    h->Unpack();
    received++;
    if (version != 1) {
      v2++;
      std::printf("RECV %d %s %s (library cannot read header version %d; stopping)\n", version,
                  h->GetDeviceType(), h->GetDeviceName(), version);
      break;
    }
    std::string type = h->GetDeviceType();
    igtl::MessageBase::Pointer body;
    if (type == "IMAGE") body = igtl::ImageMessage::New();
    else if (type == "TRANSFORM") body = igtl::TransformMessage::New();
    else if (type == "STATUS") body = igtl::StatusMessage::New();
    else if (type == "STRING") body = igtl::StringMessage::New();
    else {
      socket->Skip(h->GetBodySizeToRead(), 0);
      std::printf("RECV 1 %s %s skipped\n", type.c_str(), h->GetDeviceName());
      continue;
    }
    body->SetMessageHeader(h);
    body->AllocatePack();
    socket->Receive(body->GetPackBodyPointer(), body->GetPackBodySize());
    int c = body->Unpack(1);
    bool ok = (c & igtl::MessageHeader::UNPACK_BODY) != 0;
    if (!ok) crcfail++;
    std::printf("RECV 1 %s %s crc=%s\n", type.c_str(), h->GetDeviceName(), ok ? "ok" : "FAIL");
    if (!ok) continue;
    if (type == "IMAGE") {
      igtl::ImageMessage* im = static_cast<igtl::ImageMessage*>(body.GetPointer());
      int size[3];
      im->GetDimensions(size);
      const unsigned char* q = static_cast<const unsigned char*>(im->GetScalarPointer());
      imageOk = std::string(h->GetDeviceName()) == "Image_Reference_echo" && size[0] == 16 && size[1] == 16
                && size[2] == 1 && im->GetScalarType() == igtl::ImageMessage::TYPE_UINT8;
      for (int i = 0; imageOk && i < 256; i++) imageOk = q[i] == i;
      haveImage = true;
    } else if (type == "TRANSFORM") {
      igtl::Matrix4x4 m;
      static_cast<igtl::TransformMessage*>(body.GetPointer())->GetMatrix(m);
      lastX = m[0][3];
      if (lastX == 9.0f) haveLast = true;
    } else if (type == "STRING") {
      text = static_cast<igtl::StringMessage*>(body.GetPointer())->GetString();
    } else if (type == "STATUS" && std::string(h->GetDeviceName()) == "Scanner_ack") {
      statusCode = static_cast<igtl::StatusMessage*>(body.GetPointer())->GetCode();
    }
  }
  socket->CloseSocket();
  std::printf("SUMMARY received=%d v2=%d crcfail=%d image=%s last_x=%g string=%s status_code=%d\n", received, v2,
              crcfail, imageOk ? "ok" : "bad", lastX, text.c_str(), statusCode);
  return 0;
}
