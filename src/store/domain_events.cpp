#include "store/domain_events.hpp"

namespace pathway::store {

Status AppendDomainEvent(Database& db, const DomainEventRecord& event) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO domain_event (occurred_at, name, object_type, object_id, "
                 "actor_user_id, detail) VALUES (?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, event.occurred_at)
      .Bind(2, event.name)
      .Bind(3, event.object_type)
      .Bind(4, event.object_id)
      .Bind(6, event.detail);
  if (event.actor_user_id) {
    insert.Bind(5, *event.actor_user_id);
  } else {
    insert.BindNull(5);
  }
  return insert.Run();
}

Result<std::vector<DomainEventRecord>> DomainEventsAfter(Database& db, std::int64_t after,
                                                         int limit) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto select,
      db.Prepare("SELECT seq, occurred_at, name, object_type, object_id, actor_user_id, detail "
                 "FROM domain_event WHERE seq > ? ORDER BY seq LIMIT ?"));
  select.Bind(1, after).Bind(2, limit);
  std::vector<DomainEventRecord> events;
  while (true) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    DomainEventRecord event;
    event.seq = select.ColumnInt(0);
    event.occurred_at = select.ColumnText(1);
    event.name = select.ColumnText(2);
    event.object_type = select.ColumnText(3);
    event.object_id = select.ColumnText(4);
    if (!select.ColumnIsNull(5)) event.actor_user_id = select.ColumnInt(5);
    event.detail = select.ColumnText(6);
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace pathway::store
