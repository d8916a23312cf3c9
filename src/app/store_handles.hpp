// The store's connection types, declared but not defined: use cases hold and pass them
// (their .cpp files include store/), while their headers, which web/ includes, do not
// expose the store.
#pragma once

namespace pathway::store {
class ConnectionPool;
class Database;
class ListTotals;
struct WorkforceChanges;
}  // namespace pathway::store
