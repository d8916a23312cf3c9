#include "store/workforce_change.hpp"

namespace pathway::store {

Status BumpWorkforceGeneration(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("UPDATE workforce_change SET generation = generation + 1 WHERE id = 1"));
  return stmt.Run();
}

Result<std::int64_t> WorkforceGeneration(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT generation FROM workforce_change WHERE id = 1"));
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Error::Unavailable("The workforce change counter is missing.");
  return stmt.ColumnInt(0);
}

}  // namespace pathway::store
