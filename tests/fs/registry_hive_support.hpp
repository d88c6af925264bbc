// Registry hives for the tests, built at test time: a minimal empty hive written by hand (the
// regf base block with its checksum, one hbin holding the root nk cell, an sk cell and a free
// cell; spec: https://github.com/msuhanov/regf/blob/master/Windows%20registry%20file%20format%20specification.md)
// then filled through libhivex's own writer (hivex_node_add_child, hivex_node_set_values,
// hivex_commit), the library hivexregedit and hivexsh are built on. Debian ships no empty
// template hive, and hivexregedit (libwin-hivex-perl) is not installed here.
#pragma once

#include <hivex.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace herkomst::test {

inline void le32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

inline std::string empty_hive() {
  std::string hive(8192, '\0');
  hive.replace(0, 4, "regf");
  le32(hive, 4, 1);          // primary sequence number
  le32(hive, 8, 1);          // secondary sequence number
  le32(hive, 20, 1);         // major version
  le32(hive, 24, 3);         // minor version
  le32(hive, 32, 1);         // file format: direct memory load
  le32(hive, 36, 0x20);      // root cell offset (from the first hbin)
  le32(hive, 40, 4096);      // hive bins data size
  le32(hive, 44, 1);         // clustering factor
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 508; i += 4) {
    sum ^= static_cast<std::uint32_t>(static_cast<unsigned char>(hive[i])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(hive[i + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(hive[i + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(hive[i + 3])) << 24;
  }
  le32(hive, 508, sum);
  const std::size_t bin = 4096;
  hive.replace(bin, 4, "hbin");
  le32(hive, bin + 4, 0);     // offset of this bin
  le32(hive, bin + 8, 4096);  // size of this bin
  // Root nk cell at 0x20: 76 bytes of fields, the 4-byte name "ROOT", the size field: 88 bytes.
  const std::size_t nk = bin + 0x20, nk_size = 88;
  le32(hive, nk, static_cast<std::uint32_t>(-static_cast<std::int32_t>(nk_size)));
  hive.replace(nk + 4, 2, "nk");
  hive[nk + 6] = 0x2C;  // KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME
  const std::size_t sk_offset = 0x20 + nk_size;
  le32(hive, nk + 4 + 16, 0xFFFFFFFF);  // parent
  le32(hive, nk + 4 + 28, 0xFFFFFFFF);  // subkeys list
  le32(hive, nk + 4 + 32, 0xFFFFFFFF);  // volatile subkeys list
  le32(hive, nk + 4 + 40, 0xFFFFFFFF);  // values list
  le32(hive, nk + 4 + 44, static_cast<std::uint32_t>(sk_offset));  // security key
  le32(hive, nk + 4 + 48, 0xFFFFFFFF);  // class name
  hive[nk + 4 + 72] = 4;                // key name length
  hive.replace(nk + 4 + 76, 4, "ROOT");
  // sk cell: its list links point to itself; a 20-byte self-relative security descriptor.
  const std::size_t sk = bin + sk_offset, sk_size = 48;
  le32(hive, sk, static_cast<std::uint32_t>(-static_cast<std::int32_t>(sk_size)));
  hive.replace(sk + 4, 2, "sk");
  le32(hive, sk + 4 + 4, static_cast<std::uint32_t>(sk_offset));  // flink
  le32(hive, sk + 4 + 8, static_cast<std::uint32_t>(sk_offset));  // blink
  le32(hive, sk + 4 + 12, 1);                                     // reference count
  le32(hive, sk + 4 + 16, 20);                                    // descriptor size
  hive[sk + 4 + 20] = 1;                                          // revision
  hive[sk + 4 + 22] = 0x04;                                       // control: DACL present
  hive[sk + 4 + 23] = static_cast<char>(0x80);                    // control: self-relative
  // The rest of the bin: one free cell.
  const std::size_t free_at = sk + sk_size;
  le32(hive, free_at, static_cast<std::uint32_t>(bin + 4096 - free_at));
  return hive;
}

// One value of a test key: a string (REG_SZ, or REG_EXPAND_SZ when expand) or a DWORD.
struct RegValue {
  std::string name;
  std::string text;
  bool dword = false;
  std::uint32_t number = 0;
  bool expand = false;
};
struct RegKey {
  std::string path;  // below the root, '\\'-separated; parents are created
  std::vector<RegValue> values;
};

inline std::string utf16le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  out += std::string(2, '\0');
  return out;
}

// Builds a hive with the given keys at `where` (written through hivex) and returns its bytes.
inline std::string build_hive(const std::filesystem::path& where, const std::vector<RegKey>& keys) {
  {
    std::ofstream out(where, std::ios::binary);
    out << empty_hive();
  }
  struct Closer {
    void operator()(hive_h* h) const { hivex_close(h); }
  };
  std::unique_ptr<hive_h, Closer> h(hivex_open(where.c_str(), HIVEX_OPEN_WRITE));
  if (!h) throw std::runtime_error("hivex_open of the empty test hive failed");
  for (const RegKey& key : keys) {
    hive_node_h node = hivex_root(h.get());
    std::string rest = key.path;
    while (!rest.empty()) {
      const std::size_t cut = rest.find('\\');
      const std::string part = rest.substr(0, cut);
      rest = cut == std::string::npos ? "" : rest.substr(cut + 1);
      hive_node_h next = hivex_node_get_child(h.get(), node, part.c_str());
      if (next == 0) next = hivex_node_add_child(h.get(), node, part.c_str());
      if (next == 0) throw std::runtime_error("hivex_node_add_child failed for " + key.path);
      node = next;
    }
    std::vector<std::string> data;
    std::vector<hive_set_value> values;
    data.reserve(key.values.size());
    for (const RegValue& v : key.values) {
      if (v.dword) {
        std::string d(4, '\0');
        le32(d, 0, v.number);
        data.push_back(d);
      } else {
        data.push_back(utf16le(v.text));
      }
      hive_set_value sv{};
      sv.key = const_cast<char*>(v.name.c_str());
      sv.t = v.dword ? hive_t_REG_DWORD : (v.expand ? hive_t_REG_EXPAND_SZ : hive_t_REG_SZ);
      sv.len = data.back().size();
      sv.value = data.back().data();
      values.push_back(sv);
    }
    if (!values.empty() && hivex_node_set_values(h.get(), node, values.size(), values.data(), 0) != 0) {
      throw std::runtime_error("hivex_node_set_values failed for " + key.path);
    }
  }
  if (hivex_commit(h.get(), nullptr, 0) != 0) throw std::runtime_error("hivex_commit failed");
  h.reset();
  std::ifstream in(where, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace herkomst::test
