// libFuzzer target: the passport reader must never crash, hang or leak, whatever bytes it
// is given; it either reads a credential's form or refuses with a reason naming
// "credential". What it reads has a key id and a signing input that is a prefix of the
// text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "interchange/passport_credential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pathway::interchange::ParsePassportJws(text);
  if (!parsed.ok()) {
    if (parsed.error().message.empty() || parsed.error().field != "credential") __builtin_trap();
    return 0;
  }
  if (parsed->kid.empty()) __builtin_trap();
  if (text.substr(0, parsed->signing_input.size()) != parsed->signing_input) __builtin_trap();
  for (const auto& e : parsed->entries) {
    if (e.level < 1 || e.level > 9) __builtin_trap();
  }
  return 0;
}
