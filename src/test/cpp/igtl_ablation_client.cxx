// A reference-library (Debian's libopenigtlink-dev 1.11, header version 1) tracker/navigation client of
// `lesionlink serve`'s ablation monitoring (server-conventions.md section 7):
//
//   igtl_ablation_client <host> <port> <poses> <y_end_mm> [<extra plan JSON members, e.g. "labelmap": false>]
//
// Sends the label IMAGEs "AblationLesion" (uint8, 60^3 at 1 mm, voxel centres -29.5..29.5 mm, RAS: a sphere of
// radius 10 mm at the origin, value 1) and "AblationCritical" (a cylinder of radius 3 mm along z through
// (0, -26), value 3), STRING "CMD_1" = AblationPlan with a 15 mm spherical zone; then, closed loop, <poses>
// TRANSFORMs "NeedleToReference" (identity rotation, tip moving from (0, 0, 0) to (0, <y_end_mm>, 0)), each
// time waiting for the STATUS "Ablation" of that pose. Every message is unpacked with the library's CRC check.
// Prints one line per pose:
//   POSE i y=Y status=NAME code=C coverage=P margin=M critical=D zone=WxHxD report_us=R status_us=S
// (R, S: microseconds from sending the TRANSFORM to receiving the report STRING / the STATUS) and
//   SUMMARY poses=N crcfail=N ack=TEXT p50_report_us=X p99_report_us=Y p50_status_us=X p99_status_us=Y
// IgtlAblationReferenceClientTest.java compiles and runs it; bench/ablation/run.sh times it.
#include <algorithm>
#include <chrono>
#include <cmath>
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
#include "igtlTransformMessage.h"

typedef std::chrono::steady_clock Clock;

static void sendLabel(igtl::ClientSocket* socket, const char* name, bool canal) {
  const int n = 60;
  igtl::ImageMessage::Pointer image = igtl::ImageMessage::New();
  image->SetDeviceName(name);
  image->SetDimensions(n, n, n);
  image->SetSpacing(1.0f, 1.0f, 1.0f);
  image->SetScalarType(igtl::ImageMessage::TYPE_UINT8);
  image->SetCoordinateSystem(igtl::ImageMessage::COORDINATE_RAS);
  const unsigned short one = 1;
  image->SetEndian(*reinterpret_cast<const unsigned char*>(&one) == 1 ? igtl::ImageMessage::ENDIAN_LITTLE
                                                                     : igtl::ImageMessage::ENDIAN_BIG);
  // The library's origin is the volume's centre: voxel centres -29.5 .. 29.5 put it at (0, 0, 0).
  float origin[3] = {0.0f, 0.0f, 0.0f};
  image->SetOrigin(origin);
  image->AllocateScalars();
  unsigned char* px = static_cast<unsigned char*>(image->GetScalarPointer());
  for (int k = 0; k < n; k++)
    for (int j = 0; j < n; j++)
      for (int i = 0; i < n; i++) {
        double x = i - 29.5, y = j - 29.5, z = k - 29.5;
        unsigned char v = 0;
        if (canal) {
          if (x * x + (y + 26) * (y + 26) <= 9) v = 3;
        } else if (x * x + y * y + z * z <= 100) {
          v = 1;
        }
        px[i + n * (j + n * k)] = v;
      }
  image->Pack();
  socket->Send(image->GetPackPointer(), image->GetPackSize());
}

static std::string jsonNumber(const std::string& json, const std::string& key) {
  std::string k = "\"" + key + "\":";
  size_t p = json.find(k);
  if (p == std::string::npos) return "none";
  p += k.size();
  size_t e = json.find_first_of(",}", p);
  return json.substr(p, e - p);
}

static long percentile(std::vector<long> v, double q) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(q * v.size())) - 1;
  return v[std::min(i, v.size() - 1)];
}

// Reads one message into `body` (CRC checked): 1 = got it, 0 = skipped or bad CRC (counted), -1 = connection closed.
static int readOne(igtl::ClientSocket* socket, std::string& type, std::string& device, igtl::MessageBase::Pointer& body,
                   int& crcfail) {
  igtl::MessageHeader::Pointer h = igtl::MessageHeader::New();
  h->InitPack();
  int got = socket->Receive(h->GetPackPointer(), h->GetPackSize());
  if (got == 0) return -1;
  if (got != h->GetPackSize()) return 0;
  h->Unpack();
  type = h->GetDeviceType();
  device = h->GetDeviceName();
  if (type == "IMAGE") body = igtl::ImageMessage::New();
  else if (type == "STATUS") body = igtl::StatusMessage::New();
  else if (type == "STRING") body = igtl::StringMessage::New();
  else {
    socket->Skip(h->GetBodySizeToRead(), 0);
    return 0;
  }
  body->SetMessageHeader(h);
  body->AllocatePack();
  socket->Receive(body->GetPackBodyPointer(), body->GetPackBodySize());
  if ((body->Unpack(1) & igtl::MessageHeader::UNPACK_BODY) == 0) {
    crcfail++;
    return 0;
  }
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: %s host port poses y_end_mm [extra plan members]\n", argv[0]);
    return 2;
  }
  int poses = std::atoi(argv[3]);
  double yEnd = std::atof(argv[4]);
  igtl::ClientSocket::Pointer socket = igtl::ClientSocket::New();
  if (socket->ConnectToServer(argv[1], std::atoi(argv[2])) != 0) {
    std::fprintf(stderr, "cannot connect to %s:%s\n", argv[1], argv[2]);
    return 1;
  }
  socket->SetReceiveTimeout(1000);
  sendLabel(socket, "AblationLesion", false);
  sendLabel(socket, "AblationCritical", true);
  igtl::StringMessage::Pointer plan = igtl::StringMessage::New();
  plan->SetDeviceName("CMD_1");
  std::string planText = "AblationPlan {\"zone\": [15, 15, 15, 0], \"warnMm\": 10, \"stopMm\": 5, \"criticalName\": \"spinal canal\", \"maxPoseAgeMs\": 10000";
  if (argc == 6) planText += std::string(", ") + argv[5];
  planText += "}";
  plan->SetString(planText);
  plan->Pack();
  socket->Send(plan->GetPackPointer(), plan->GetPackSize());

  int crcfail = 0;
  std::string ack, type, device;
  igtl::MessageBase::Pointer body;
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(30);
  while (ack.empty() && Clock::now() < deadline) {  // the label IMAGEs' STATUS replies come first
    int r = readOne(socket, type, device, body, crcfail);
    if (r < 0) break;
    if (r == 1 && type == "STRING" && device == "ACK_1")
      ack = static_cast<igtl::StringMessage*>(body.GetPointer())->GetString();
  }
  std::vector<long> reportUs, statusUs;
  for (int i = 0; i < poses; i++) {
    double y = poses > 1 ? yEnd * i / (poses - 1) : 0;
    igtl::TransformMessage::Pointer t = igtl::TransformMessage::New();
    t->SetDeviceName("NeedleToReference");
    igtl::Matrix4x4 m;
    igtl::IdentityMatrix(m);
    m[1][3] = static_cast<float>(y);
    t->SetMatrix(m);
    t->Pack();
    Clock::time_point sent = Clock::now();
    socket->Send(t->GetPackPointer(), t->GetPackSize());
    std::string report, statusName;
    int statusCode = -1, zone[3] = {0, 0, 0};
    long rUs = -1, sUs = -1;
    deadline = Clock::now() + std::chrono::seconds(30);
    while (statusCode < 0 && Clock::now() < deadline) {
      int r = readOne(socket, type, device, body, crcfail);
      if (r < 0) break;
      if (r == 0) continue;
      if (type == "IMAGE" && device == "AblationZone") {
        static_cast<igtl::ImageMessage*>(body.GetPointer())->GetDimensions(zone);
      } else if (type == "STRING" && device == "AblationReport") {
        report = static_cast<igtl::StringMessage*>(body.GetPointer())->GetString();
        rUs = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count();
      } else if (type == "STATUS" && device == "Ablation") {
        igtl::StatusMessage* st = static_cast<igtl::StatusMessage*>(body.GetPointer());
        statusCode = st->GetCode();
        statusName = st->GetErrorName();
        sUs = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count();
      }
    }
    if (rUs >= 0 && sUs >= 0) {
      reportUs.push_back(rUs);
      statusUs.push_back(sUs);
    }
    std::printf("POSE %d y=%.3f status=%s code=%d coverage=%s margin=%s critical=%s zone=%dx%dx%d report_us=%ld status_us=%ld\n",
                i, y, statusName.c_str(), statusCode, jsonNumber(report, "coverage_percent").c_str(),
                jsonNumber(report, "min_margin_mm").c_str(), jsonNumber(report, "critical_distance_mm").c_str(), zone[0],
                zone[1], zone[2], rUs, sUs);
  }
  socket->CloseSocket();
  std::printf("SUMMARY poses=%zu crcfail=%d ack=%s p50_report_us=%ld p99_report_us=%ld p50_status_us=%ld p99_status_us=%ld\n",
              statusUs.size(), crcfail, ack.c_str(), percentile(reportUs, 0.5), percentile(reportUs, 0.99),
              percentile(statusUs, 0.5), percentile(statusUs, 0.99));
  return 0;
}
