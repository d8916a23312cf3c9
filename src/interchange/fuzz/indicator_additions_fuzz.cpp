// libFuzzer target: the indicator additions reader never crashes on any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "interchange/indicator_additions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = pathway::interchange::ParseIndicatorAdditions(text);
  if (!result.ok() && result.problems().empty()) __builtin_trap();
  return 0;
}
