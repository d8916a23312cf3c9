#include "engine/internal/resolve.hpp"

#include <algorithm>

namespace pathway::engine::internal {
namespace {

std::string At(const std::string& list, std::size_t i) {
  return list + "[" + std::to_string(i) + "]";
}

}  // namespace

Result<std::vector<Need>> ResolveNeeds(const Catalog& catalog, const std::string& role_level,
                                       const std::vector<RequirementSpec>& requirements) {
  if (!role_level.empty() && !requirements.empty()) {
    return Error::InvalidInput("requirements",
                               "Give either a role level or a list of requirements, not both");
  }
  if (!role_level.empty()) {
    auto found = catalog.role_level_by_code.find(role_level);
    if (found == catalog.role_level_by_code.end()) {
      return Error::InvalidInput("role_level", "Select a role level that exists");
    }
    const auto& needs = catalog.role_levels[found->second].needs;
    if (needs.empty()) {
      return Error::InvalidInput("role_level", "The role level has no requirements to match");
    }
    return needs;
  }
  if (requirements.empty()) {
    return Error::InvalidInput("requirements", "Enter at least one requirement");
  }
  if (requirements.size() > static_cast<std::size_t>(kMaxRequirements)) {
    return Error::InvalidInput("requirements", "Enter at most 64 requirements");
  }
  std::vector<Need> needs;
  for (std::size_t i = 0; i < requirements.size(); ++i) {
    const RequirementSpec& spec = requirements[i];
    auto item = catalog.item_by_uuid.find(spec.item_id);
    if (item == catalog.item_by_uuid.end()) {
      return Error::InvalidInput(At("requirements", i) + ".item", "Select an item that exists");
    }
    if (spec.level < 1 || spec.level > 9) {
      return Error::InvalidInput(At("requirements", i) + ".level", "Enter a level from 1 to 9");
    }
    if (spec.weight < 1 || spec.weight > 10) {
      return Error::InvalidInput(At("requirements", i) + ".weight", "Enter a weight from 1 to 10");
    }
    for (const Need& earlier : needs) {
      if (earlier.item == item->second) {
        return Error::InvalidInput(At("requirements", i) + ".item",
                                   "Each item can be required only once");
      }
    }
    needs.push_back({item->second, static_cast<std::uint8_t>(spec.level),
                     static_cast<std::uint8_t>(spec.weight)});
  }
  return needs;
}

Result<ResolvedFilters> ResolveFilters(const Catalog& catalog, const Filters& filters,
                                       const std::string& prefix) {
  ResolvedFilters f;
  if (filters.professions.empty()) {
    for (std::size_t p = 0; p <= catalog.professions.size(); ++p) {
      f.professions.push_back(static_cast<std::uint16_t>(p));
    }
  } else {
    for (std::size_t i = 0; i < filters.professions.size(); ++i) {
      auto found = catalog.profession_by_code.find(filters.professions[i]);
      if (found == catalog.profession_by_code.end()) {
        return Error::InvalidInput(At(prefix + "professions", i),
                                   "Select a profession that exists");
      }
      f.professions.push_back(static_cast<std::uint16_t>(found->second + 1));
    }
    std::sort(f.professions.begin(), f.professions.end());
    f.professions.erase(std::unique(f.professions.begin(), f.professions.end()),
                        f.professions.end());
  }
  if (filters.grade_min || filters.grade_max) {
    f.grade_lo = filters.grade_min ? static_cast<int>(*filters.grade_min) + 1 : 1;
    f.grade_hi = filters.grade_max ? static_cast<int>(*filters.grade_max) + 1 : domain::kGradeCount;
    if (f.grade_lo > f.grade_hi) {
      return Error::InvalidInput(prefix + "grade_max",
                                 "The highest grade must be the same as or above the lowest");
    }
  }
  for (std::size_t i = 0; i < filters.regions.size(); ++i) {
    const domain::RegionInfo* region = domain::FindRegion(filters.regions[i]);
    if (region == nullptr) {
      return Error::InvalidInput(At(prefix + "regions", i), "Select a region that exists");
    }
    f.regions |= 1u << (static_cast<int>(region - domain::AllRegions().data()) + 1);
    f.row_check = true;
  }
  if (!filters.departments.empty()) {
    f.departments.assign(catalog.departments.size() + 1, 0);
    for (std::size_t i = 0; i < filters.departments.size(); ++i) {
      auto found = catalog.department_by_code.find(filters.departments[i]);
      if (found == catalog.department_by_code.end()) {
        return Error::InvalidInput(At(prefix + "departments", i),
                                   "Select a department that exists");
      }
      f.departments[found->second + 1] = 1;
    }
    f.row_check = true;
  }
  if (filters.clearance_at_least) {
    f.clearance_min = static_cast<int>(*filters.clearance_at_least) + 1;
    f.row_check = true;
  }
  return f;
}

void FilterSegment(const Snapshot& s, const ResolvedFilters& f, std::size_t chunk,
                   std::uint32_t offset, std::uint32_t count, std::uint8_t* pass) {
  std::fill_n(pass, count, std::uint8_t{1});
  if (f.regions != 0) {
    const std::uint8_t* region = s.region_column().ChunkData(chunk);
    if (region == nullptr) {
      std::fill_n(pass, count, static_cast<std::uint8_t>(f.regions & 1u));
    } else {
      region += offset;
      const std::uint32_t mask = f.regions;
      for (std::uint32_t j = 0; j < count; ++j) {
        pass[j] = static_cast<std::uint8_t>((mask >> (region[j] & 31u)) & 1u);
      }
    }
  }
  if (!f.departments.empty()) {
    const std::uint16_t* department = s.department_column().ChunkData(chunk);
    const std::uint8_t* wanted = f.departments.data();
    if (department == nullptr) {
      if (wanted[0] == 0) std::fill_n(pass, count, std::uint8_t{0});
    } else {
      department += offset;
      const std::size_t size = f.departments.size();
      for (std::uint32_t j = 0; j < count; ++j) {
        const std::size_t d = department[j];
        pass[j] = static_cast<std::uint8_t>(pass[j] & (d < size ? wanted[d] : 0));
      }
    }
  }
  if (f.clearance_min != 0) {
    const std::uint8_t* clearance = s.clearance_column().ChunkData(chunk);
    if (clearance == nullptr) {
      std::fill_n(pass, count, std::uint8_t{0});  // level 0: none
    } else {
      clearance += offset;
      constexpr auto kActive = static_cast<std::uint8_t>(domain::ClearanceStatus::kActive);
      const auto min = static_cast<std::uint8_t>(f.clearance_min);
      for (std::uint32_t j = 0; j < count; ++j) {
        const std::uint8_t c = clearance[j];
        const bool ok = (c >> 4) == kActive && (c & 0x0F) >= min;
        pass[j] = static_cast<std::uint8_t>(pass[j] & (ok ? 1 : 0));
      }
    }
  }
}

}  // namespace pathway::engine::internal
