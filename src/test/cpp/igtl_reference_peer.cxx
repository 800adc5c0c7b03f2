// A reference-library peer for LesionLink's OpenIGTLink tests, built against Debian's
// libopenigtlink-dev 1.11 (protocol v2, header version 1 only).
//
//   igtl_reference_peer pack <dir>     writes <type>.bin files packed by the library
//   igtl_reference_peer unpack <file>  reads every message in <file>, unpacks it with the CRC check on
//                                      and prints one "MSG ..." line plus indented key=value lines each
//
// The values packed here are mirrored in ReferenceLibraryInteropTest.java; keep them in sync.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "igtl_header.h"
#include "igtlMessageHeader.h"
#include "igtlImageMessage.h"
#include "igtlTransformMessage.h"
#include "igtlPositionMessage.h"
#include "igtlStatusMessage.h"
#include "igtlStringMessage.h"
#include "igtlPointMessage.h"
#include "igtlPolyDataMessage.h"
#include "igtlLabelMetaMessage.h"
#include "igtlImageMetaMessage.h"
#include "igtlTrackingDataMessage.h"
#include "igtlCapabilityMessage.h"

namespace {

bool writeMessage(const std::string& dir, const std::string& name, igtl::MessageBase* msg) {
  msg->Pack();
  std::ofstream out((dir + "/" + name + ".bin").c_str(), std::ios::binary);
  out.write(static_cast<const char*>(msg->GetPackPointer()), msg->GetPackSize());
  return out.good();
}

int pack(const std::string& dir) {
  bool ok = true;

  // IMAGE: 4 x 3 x 2 int16, little-endian pixels, LPS, oblique axes, anisotropic spacing
  {
    igtl::ImageMessage::Pointer m = igtl::ImageMessage::New();
    m->SetDeviceName("CT");
    m->SetDimensions(4, 3, 2);
    m->SetSpacing(0.5f, 0.75f, 2.5f);
    float t[3] = {0.6f, 0.8f, 0.0f};
    float s[3] = {-0.8f, 0.6f, 0.0f};
    float n[3] = {0.0f, 0.0f, 1.0f};
    m->SetNormals(t, s, n);
    m->SetOrigin(10.0f, -20.0f, 30.0f);
    m->SetScalarTypeToInt16();
    m->SetEndian(igtl::ImageMessage::ENDIAN_LITTLE);
    m->SetCoordinateSystem(igtl::ImageMessage::COORDINATE_LPS);
    m->AllocateScalars();
    igtlInt16* px = static_cast<igtlInt16*>(m->GetScalarPointer());
    for (int k = 0; k < 2; k++)
      for (int j = 0; j < 3; j++)
        for (int i = 0; i < 4; i++)
          px[i + 4 * (j + 3 * k)] = static_cast<igtlInt16>(i + 10 * j + 100 * k - 50);  // host order = little
    ok &= writeMessage(dir, "image", m);
  }

  // TRANSFORM with a real timestamp: rotation 90 degrees about z, translation (1.5, -2, 300)
  {
    igtl::TransformMessage::Pointer m = igtl::TransformMessage::New();
    m->SetDeviceName("ProbeToTracker");
    igtl::Matrix4x4 mat = {{0, -1, 0, 1.5f}, {1, 0, 0, -2}, {0, 0, 1, 300}, {0, 0, 0, 1}};
    m->SetMatrix(mat);
    m->SetTimeStamp(1795239033u, 0x11fc8f4fu);
    ok &= writeMessage(dir, "transform", m);
  }

  // POSITION, deliberately not normalised
  {
    igtl::PositionMessage::Pointer m = igtl::PositionMessage::New();
    m->SetDeviceName("Needle");
    m->SetPosition(1.0f, 2.0f, 3.0f);
    m->SetQuaternion(0.0f, 0.0f, 2.0f, 0.0f);
    ok &= writeMessage(dir, "position", m);
  }

  // STATUS
  {
    igtl::StatusMessage::Pointer m = igtl::StatusMessage::New();
    m->SetDeviceName("Scanner");
    m->SetCode(igtl::StatusMessage::STATUS_NOT_READY);
    m->SetSubCode(-42);
    m->SetErrorName("WARMING_UP");
    m->SetStatusString("Gradient coils warming up");
    ok &= writeMessage(dir, "status", m);
  }

  // STRING
  {
    igtl::StringMessage::Pointer m = igtl::StringMessage::New();
    m->SetDeviceName("CMD_0001");
    m->SetString("<Command Name=\"StartScan\"/>");
    ok &= writeMessage(dir, "string", m);
  }

  // POINT, two elements
  {
    igtl::PointMessage::Pointer m = igtl::PointMessage::New();
    m->SetDeviceName("Targets");
    for (int e = 0; e < 2; e++) {
      igtl::PointElement::Pointer p = igtl::PointElement::New();
      p->SetName(e == 0 ? "Entry" : "Target");
      p->SetGroupName("Fiducial");
      p->SetRGBA(255, 128 * e, 0, 255);
      p->SetPosition(10.0f * e, -5.5f, 42.25f + e);
      p->SetRadius(1.5f + e);
      p->SetOwner("CT");
      m->AddPointElement(p);
    }
    ok &= writeMessage(dir, "point", m);
  }

  // POLYDATA: a quad as two triangles, plus a vertex, a line, a strip and two attributes
  {
    igtl::PolyDataMessage::Pointer m = igtl::PolyDataMessage::New();
    m->SetDeviceName("Lesion1");
    igtl::PolyDataPointArray::Pointer pts = igtl::PolyDataPointArray::New();
    pts->AddPoint(0, 0, 0);
    pts->AddPoint(10, 0, 0);
    pts->AddPoint(10, 10, 0);
    pts->AddPoint(0, 10, 0.5f);
    m->SetPoints(pts);
    igtl::PolyDataCellArray::Pointer verts = igtl::PolyDataCellArray::New();
    igtlUint32 v0[1] = {3};
    verts->AddCell(1, v0);
    m->SetVertices(verts);
    igtl::PolyDataCellArray::Pointer lines = igtl::PolyDataCellArray::New();
    igtlUint32 l0[3] = {0, 1, 2};
    lines->AddCell(3, l0);
    m->SetLines(lines);
    igtl::PolyDataCellArray::Pointer polys = igtl::PolyDataCellArray::New();
    igtlUint32 t0[3] = {0, 1, 2};
    igtlUint32 t1[3] = {0, 2, 3};
    polys->AddCell(3, t0);
    polys->AddCell(3, t1);
    m->SetPolygons(polys);
    igtl::PolyDataCellArray::Pointer strips = igtl::PolyDataCellArray::New();
    igtlUint32 s0[4] = {0, 1, 3, 2};
    strips->AddCell(4, s0);
    m->SetTriangleStrips(strips);
    igtl::PolyDataAttribute::Pointer dist = igtl::PolyDataAttribute::New();
    dist->SetType(igtl::PolyDataAttribute::POINT_SCALAR);
    dist->SetName("Distance");
    dist->SetSize(4);
    igtlFloat32 d[4] = {0.0f, 1.0f, 2.5f, -3.0f};
    dist->SetData(d);
    m->AddAttribute(dist);
    igtl::PolyDataAttribute::Pointer normals = igtl::PolyDataAttribute::New();
    normals->SetType(igtl::PolyDataAttribute::CELL_NORMAL);
    normals->SetName("Normals");
    normals->SetSize(2);
    igtlFloat32 nd[6] = {0, 0, 1, 0, 0, -1};
    normals->SetData(nd);
    m->AddAttribute(normals);
    ok &= writeMessage(dir, "polydata", m);
  }

  // LBMETA, two labels
  {
    igtl::LabelMetaMessage::Pointer m = igtl::LabelMetaMessage::New();
    m->SetDeviceName("LesionLink");
    for (int e = 0; e < 2; e++) {
      igtl::LabelMetaElement::Pointer l = igtl::LabelMetaElement::New();
      l->SetName(e == 0 ? "Metastasis 1" : "Oedema");
      l->SetDeviceName(e == 0 ? "LABEL_1" : "LABEL_2");
      l->SetLabel(static_cast<igtlUint8>(e + 1));
      l->SetRGBA(200, 50 * e, 10, 255);
      l->SetSize(256, 256, 180);
      l->SetOwner("IMAGE_0");
      m->AddLabelMetaElement(l);
    }
    ok &= writeMessage(dir, "lbmeta", m);
  }

  // TDATA, one tool
  {
    igtl::TrackingDataMessage::Pointer m = igtl::TrackingDataMessage::New();
    m->SetDeviceName("Tracker");
    igtl::TrackingDataElement::Pointer e = igtl::TrackingDataElement::New();
    e->SetName("Stylus");
    e->SetType(igtl::TrackingDataElement::TYPE_6D);
    igtl::Matrix4x4 mat = {{1, 0, 0, 5}, {0, 1, 0, 6}, {0, 0, 1, 7}, {0, 0, 0, 1}};
    e->SetMatrix(mat);
    m->AddTrackingDataElement(e);
    ok &= writeMessage(dir, "tdata", m);
  }

  // CAPABILITY
  {
    igtl::CapabilityMessage::Pointer m = igtl::CapabilityMessage::New();
    m->SetDeviceName("Peer");
    m->SetNumberOfTypes(3);
    m->SetType(0, "IMAGE");
    m->SetType(1, "TRANSFORM");
    m->SetType(2, "GET_CAPABIL");
    ok &= writeMessage(dir, "capability", m);
  }

  // Queries
  {
    igtl::GetImageMessage::Pointer m = igtl::GetImageMessage::New();
    m->SetDeviceName("IMAGE_0");
    ok &= writeMessage(dir, "get_image", m);
  }
  {
    igtl::GetTransformMessage::Pointer m = igtl::GetTransformMessage::New();
    m->SetDeviceName("ProbeToTracker");
    ok &= writeMessage(dir, "get_transform", m);
  }
  {
    igtl::GetStatusMessage::Pointer m = igtl::GetStatusMessage::New();
    ok &= writeMessage(dir, "get_status", m);
  }
  {
    igtl::GetLabelMetaMessage::Pointer m = igtl::GetLabelMetaMessage::New();
    ok &= writeMessage(dir, "get_lbmeta", m);
  }
  {
    igtl::GetPointMessage::Pointer m = igtl::GetPointMessage::New();
    ok &= writeMessage(dir, "get_point", m);
  }
  {
    igtl::GetPolyDataMessage::Pointer m = igtl::GetPolyDataMessage::New();
    m->SetDeviceName("Lesion1");
    ok &= writeMessage(dir, "get_polydata", m);
  }
  {
    igtl::StartTrackingDataMessage::Pointer m = igtl::StartTrackingDataMessage::New();
    m->SetDeviceName("Tracker");
    m->SetResolution(50);
    m->SetCoordinateName("Patient");
    ok &= writeMessage(dir, "stt_tdata", m);
  }
  {
    igtl::RTSTrackingDataMessage::Pointer m = igtl::RTSTrackingDataMessage::New();
    m->SetDeviceName("Tracker");
    m->SetStatus(1);
    ok &= writeMessage(dir, "rts_tdata", m);
  }
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------

template <class M>
typename M::Pointer unpackBody(igtl::MessageHeader::Pointer& header, const std::vector<char>& body, int& crcOk) {
  typename M::Pointer m = M::New();
  m->SetMessageHeader(header);
  m->AllocatePack();
  std::memcpy(m->GetPackBodyPointer(), body.data(), body.size());
  int r = m->Unpack(1);
  crcOk = (r & igtl::MessageHeader::UNPACK_BODY) ? 1 : 0;
  return m;
}

void printFloats(const char* key, const float* v, int n) {
  std::cout << "  " << key << "=";
  for (int i = 0; i < n; i++) std::cout << (i ? "," : "") << v[i];
  std::cout << "\n";
}

int unpack(const std::string& file) {
  std::ifstream in(file.c_str(), std::ios::binary);
  std::vector<char> all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = 0;
  int failures = 0;
  std::cout.precision(9);
  while (at + IGTL_HEADER_SIZE <= all.size()) {
    igtl::MessageHeader::Pointer header = igtl::MessageHeader::New();
    header->InitPack();
    std::memcpy(header->GetPackPointer(), &all[at], IGTL_HEADER_SIZE);
    header->Unpack();
    at += IGTL_HEADER_SIZE;
    size_t bodySize = header->GetBodySizeToRead();
    if (at + bodySize > all.size()) {
      std::cout << "TRUNCATED type=" << header->GetDeviceType() << "\n";
      return 1;
    }
    std::vector<char> body(all.begin() + at, all.begin() + at + bodySize);
    at += bodySize;
    std::string type = header->GetDeviceType();
    unsigned int sec = 0, frac = 0;
    header->GetTimeStamp(&sec, &frac);
    int crc = 0;
    if (bodySize == 0) {
      // the library sets no body flag for an empty body; its CRC must be the CRC of nothing, 0
      unsigned long long field = 0;
      for (int b = 50; b < 58; b++) field = (field << 8) | static_cast<unsigned char>(all[at - IGTL_HEADER_SIZE + b]);
      crc = field == 0 ? 1 : 0;
    }
    std::ostringstream fields;
    std::cout.flush();
    std::streambuf* saved = std::cout.rdbuf(fields.rdbuf());
    if (type == "IMAGE") {
      igtl::ImageMessage::Pointer m = unpackBody<igtl::ImageMessage>(header, body, crc);
      int d[3], sd[3], so[3];
      float sp[3], o[3], t[3], s[3], n[3];
      m->GetDimensions(d);
      m->GetSubVolume(sd, so);
      m->GetSpacing(sp);
      m->GetOrigin(o);
      m->GetNormals(t, s, n);
      std::cout << "  dims=" << d[0] << "," << d[1] << "," << d[2] << "\n";
      std::cout << "  subvolume=" << so[0] << "," << so[1] << "," << so[2] << "+" << sd[0] << "," << sd[1] << "," << sd[2] << "\n";
      std::cout << "  scalar_type=" << m->GetScalarType() << "\n  components=" << m->GetNumComponents()
                << "\n  endian=" << m->GetEndian() << "\n  coordinate=" << m->GetCoordinateSystem() << "\n";
      printFloats("spacing", sp, 3);
      printFloats("origin", o, 3);
      printFloats("t", t, 3);
      printFloats("s", s, 3);
      printFloats("n", n, 3);
      const unsigned char* px = static_cast<const unsigned char*>(m->GetScalarPointer());
      unsigned long sum = 0;
      for (int i = 0; i < m->GetSubVolumeImageSize(); i++) sum += px[i];
      std::cout << "  pixel_bytes=" << m->GetSubVolumeImageSize() << "\n  pixel_byte_sum=" << sum << "\n";
    } else if (type == "TRANSFORM") {
      igtl::TransformMessage::Pointer m = unpackBody<igtl::TransformMessage>(header, body, crc);
      igtl::Matrix4x4 mat;
      m->GetMatrix(mat);
      for (int r = 0; r < 3; r++) {
        std::string key = "row" + std::to_string(r);
        printFloats(key.c_str(), mat[r], 4);
      }
    } else if (type == "POSITION") {
      igtl::PositionMessage::Pointer m = unpackBody<igtl::PositionMessage>(header, body, crc);
      float p[3], q[4];
      m->GetPosition(p);
      m->GetQuaternion(q);
      printFloats("position", p, 3);
      printFloats("quaternion", q, 4);
    } else if (type == "STATUS") {
      igtl::StatusMessage::Pointer m = unpackBody<igtl::StatusMessage>(header, body, crc);
      std::cout << "  code=" << m->GetCode() << "\n  subcode=" << m->GetSubCode() << "\n  error_name="
                << m->GetErrorName() << "\n  message=" << m->GetStatusString() << "\n";
    } else if (type == "STRING") {
      igtl::StringMessage::Pointer m = unpackBody<igtl::StringMessage>(header, body, crc);
      std::cout << "  encoding=" << m->GetEncoding() << "\n  text=" << m->GetString() << "\n";
    } else if (type == "POINT") {
      igtl::PointMessage::Pointer m = unpackBody<igtl::PointMessage>(header, body, crc);
      std::cout << "  count=" << m->GetNumberOfPointElement() << "\n";
      for (int e = 0; e < m->GetNumberOfPointElement(); e++) {
        igtl::PointElement::Pointer p;
        m->GetPointElement(e, p);
        float pos[3];
        igtlUint8 rgba[4];
        p->GetPosition(pos);
        p->GetRGBA(rgba);
        std::cout << "  point" << e << "=" << p->GetName() << "|" << p->GetGroupName() << "|" << int(rgba[0]) << ","
                  << int(rgba[1]) << "," << int(rgba[2]) << "," << int(rgba[3]) << "|" << pos[0] << "," << pos[1] << ","
                  << pos[2] << "|" << p->GetRadius() << "|" << p->GetOwner() << "\n";
      }
    } else if (type == "POLYDATA") {
      igtl::PolyDataMessage::Pointer m = unpackBody<igtl::PolyDataMessage>(header, body, crc);
      std::cout << "  points=" << m->GetPoints()->GetNumberOfPoints() << "\n";
      float p[3];
      m->GetPoints()->GetPoint(m->GetPoints()->GetNumberOfPoints() - 1, p);
      printFloats("last_point", p, 3);
      std::cout << "  vertices=" << m->GetVertices()->GetNumberOfCells() << "\n  lines=" << m->GetLines()->GetNumberOfCells()
                << "\n  polygons=" << m->GetPolygons()->GetNumberOfCells() << "\n  strips="
                << m->GetTriangleStrips()->GetNumberOfCells() << "\n  attributes=" << m->GetNumberOfAttributes() << "\n";
      for (int a = 0; a < static_cast<int>(m->GetNumberOfAttributes()); a++) {
        igtl::PolyDataAttribute* att = m->GetAttribute(a);
        std::vector<igtlFloat32> data(att->GetSize() * att->GetNumberOfComponents());
        att->GetData(data.data());
        std::cout << "  attribute" << a << "=" << att->GetName() << "|" << int(att->GetType()) << "|"
                  << att->GetNumberOfComponents() << "|" << att->GetSize() << "|";
        for (size_t i = 0; i < data.size(); i++) std::cout << (i ? "," : "") << data[i];
        std::cout << "\n";
      }
    } else if (type == "LBMETA") {
      igtl::LabelMetaMessage::Pointer m = unpackBody<igtl::LabelMetaMessage>(header, body, crc);
      std::cout << "  count=" << m->GetNumberOfLabelMetaElement() << "\n";
      for (int e = 0; e < m->GetNumberOfLabelMetaElement(); e++) {
        igtl::LabelMetaElement::Pointer l;
        m->GetLabelMetaElement(e, l);
        igtlUint8 rgba[4];
        igtlUint16 size[3];
        l->GetRGBA(rgba);
        l->GetSize(size);
        std::cout << "  label" << e << "=" << l->GetName() << "|" << l->GetDeviceName() << "|" << int(l->GetLabel()) << "|"
                  << int(rgba[0]) << "," << int(rgba[1]) << "," << int(rgba[2]) << "," << int(rgba[3]) << "|" << size[0]
                  << "," << size[1] << "," << size[2] << "|" << l->GetOwner() << "\n";
      }
    } else if (type == "TDATA") {
      igtl::TrackingDataMessage::Pointer m = unpackBody<igtl::TrackingDataMessage>(header, body, crc);
      std::cout << "  count=" << m->GetNumberOfTrackingDataElements() << "\n";
      for (int e = 0; e < m->GetNumberOfTrackingDataElements(); e++) {
        igtl::TrackingDataElement::Pointer t;
        m->GetTrackingDataElement(e, t);
        igtl::Matrix4x4 mat;
        t->GetMatrix(mat);
        std::cout << "  tool" << e << "=" << t->GetName() << "|" << int(t->GetType()) << "|" << mat[0][3] << ","
                  << mat[1][3] << "," << mat[2][3] << "\n";
      }
    } else if (type == "CAPABILITY") {
      igtl::CapabilityMessage::Pointer m = unpackBody<igtl::CapabilityMessage>(header, body, crc);
      std::vector<std::string> types = m->GetTypes();
      std::cout << "  types=";
      for (size_t i = 0; i < types.size(); i++) std::cout << (i ? "," : "") << types[i];
      std::cout << "\n";
    } else {
      // queries and anything else: only the header-level CRC check
      if (!body.empty()) unpackBody<igtl::MessageBase>(header, body, crc);
      std::cout << "  body_size=" << body.size() << "\n";
    }
    std::cout.rdbuf(saved);
    std::cout << "MSG type=" << type << " device=" << header->GetDeviceName()
              << " sec=" << sec << " frac=" << frac << " crc=" << (crc ? "ok" : "FAILED") << "\n" << fields.str();
    if (!crc) failures++;
  }
  if (at != all.size()) {
    std::cout << "TRAILING bytes=" << (all.size() - at) << "\n";
    return 1;
  }
  return failures ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "pack") return pack(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "unpack") return unpack(argv[2]);
  std::cerr << "usage: igtl_reference_peer pack <dir> | unpack <file>\n";
  return 64;
}
