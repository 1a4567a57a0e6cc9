//! The part of busybusy's GraphQL schema the emulator serves: the root
//! lists Timebridge reads with their arguments, the object types and their
//! fields, and the input types of filters and sorts
//! (`docs/contracts/busybusy.md`, "The schema served"). Types are written
//! as GraphQL writes them (`[MemberSort!]`, `MemberFilter!`).

/// A field of an object type: its name, type, and arguments (name, type).
pub struct Field {
    pub name: &'static str,
    pub ty: &'static str,
    pub args: &'static [(&'static str, &'static str)],
}

const fn leaf(name: &'static str, ty: &'static str) -> Field {
    Field {
        name,
        ty,
        args: &[],
    }
}

/// A root list, with its filter, page (`first`, `after`) and sort.
const fn root(
    name: &'static str,
    ty: &'static str,
    args: &'static [(&'static str, &'static str)],
) -> Field {
    Field { name, ty, args }
}

/// A type the schema names, and what kind it is.
pub enum Kind {
    Scalar,
    Enum(&'static [&'static str]),
    Object(&'static [Field]),
    Input(&'static [(&'static str, &'static str)]),
}

const QUERY: &[Field] = &[
    root(
        "members",
        "[Member!]!",
        &[
            ("filter", "MemberFilter!"),
            ("first", "Int"),
            ("after", "String"),
            ("sort", "[MemberSort!]"),
        ],
    ),
    root(
        "projects",
        "[Project!]!",
        &[
            ("filter", "ProjectFilter"),
            ("first", "Int"),
            ("after", "String"),
            ("sort", "[ProjectSort!]"),
        ],
    ),
    root(
        "costCodes",
        "[CostCode!]!",
        &[
            ("filter", "CostCodeFilter"),
            ("first", "Int"),
            ("after", "String"),
            ("sort", "[CostCodeSort!]"),
        ],
    ),
    root(
        "timeEntries",
        "[TimeEntry!]!",
        &[
            ("filter", "TimeEntryFilter!"),
            ("first", "Int"),
            ("after", "String"),
            ("sort", "[TimeEntrySort!]"),
        ],
    ),
    root(
        "budgetHours",
        "[BudgetHours!]!",
        &[
            ("filter", "BudgetHoursFilter"),
            ("first", "Int"),
            ("after", "String"),
            ("sort", "[BudgetHoursSort!]"),
        ],
    ),
    root(
        "budgetCosts",
        "[BudgetCost!]!",
        &[
            ("filter", "BudgetCostFilter"),
            ("first", "Int"),
            ("after", "String"),
            ("sort", "[BudgetCostSort!]"),
        ],
    ),
];

const MEMBER: &[Field] = &[
    leaf("id", "ID!"),
    leaf("cursor", "String!"),
    leaf("firstName", "String"),
    leaf("lastName", "String"),
    leaf("username", "String"),
    leaf("email", "String"),
    leaf("phone", "String"),
    leaf("memberNumber", "String"),
    leaf("position", "Position"),
    leaf("memberGroup", "MemberGroup"),
    leaf("wageHistories", "[WageHistory!]"),
    leaf("isSubContractor", "Boolean"),
    leaf("timeLocationRequired", "String"),
    leaf("createdOn", "Timestamp!"),
    leaf("updatedOn", "Timestamp!"),
    leaf("archivedOn", "Timestamp"),
    leaf("deletedOn", "Timestamp"),
];

const POSITION: &[Field] = &[leaf("id", "ID!"), leaf("title", "String")];
const GROUP: &[Field] = &[leaf("id", "ID!"), leaf("groupName", "String")];

const WAGE_HISTORY: &[Field] = &[
    leaf("id", "ID!"),
    leaf("memberId", "ID!"),
    leaf("wage", "Float"),
    leaf("wageRate", "Int"),
    leaf("overburden", "Float"),
    leaf("effectiveRate", "Float"),
    leaf("changeDate", "Timestamp"),
    leaf("createdOn", "Timestamp!"),
    leaf("updatedOn", "Timestamp!"),
    leaf("deletedOn", "Timestamp"),
];

const PROJECT: &[Field] = &[
    leaf("id", "ID!"),
    leaf("cursor", "String!"),
    leaf("title", "String"),
    leaf("depth", "Int!"),
    leaf("parentProjectId", "ID"),
    leaf("rootProjectId", "ID"),
    leaf("children", "[Project!]"),
    leaf("ancestors", "[Project!]"),
    leaf("projectInfo", "ProjectInfo"),
    leaf("projectGroup", "ProjectGroup"),
    leaf("createdOn", "Timestamp!"),
    leaf("updatedOn", "Timestamp!"),
    leaf("archivedOn", "Timestamp"),
];

const PROJECT_INFO: &[Field] = &[
    leaf("id", "ID!"),
    leaf("projectId", "ID!"),
    leaf("number", "String"),
    leaf("customer", "String"),
    leaf("address1", "String"),
    leaf("address2", "String"),
    leaf("city", "String"),
    leaf("state", "String"),
    leaf("postalCode", "String"),
    leaf("phone", "String"),
    leaf("reminder", "Boolean"),
    leaf("requireTimeEntryGps", "String"),
    leaf("additionalInfo", "String"),
    leaf("latitude", "Float"),
    leaf("longitude", "Float"),
    leaf("locationRadius", "Int"),
];

const COST_CODE: &[Field] = &[
    leaf("id", "ID!"),
    leaf("cursor", "String!"),
    leaf("costCode", "String"),
    leaf("title", "String"),
    leaf("unitTitle", "String"),
    leaf("costCodeGroup", "CostCodeGroup"),
    leaf("createdOn", "Timestamp!"),
    leaf("updatedOn", "Timestamp!"),
    leaf("archivedOn", "Timestamp"),
];

const TIME_ENTRY: &[Field] = &[
    leaf("id", "ID!"),
    leaf("cursor", "String!"),
    leaf("memberId", "ID!"),
    leaf("projectId", "ID"),
    leaf("costCodeId", "ID"),
    leaf("equipmentId", "ID"),
    leaf("startTime", "Timestamp!"),
    leaf("endTime", "Timestamp"),
    leaf("breaks", "[TimeEntryBreak!]"),
    leaf("actionType", "Int"),
    leaf("description", "String"),
    leaf("createdOn", "Timestamp!"),
    leaf("updatedOn", "Timestamp!"),
    leaf("deletedOn", "Timestamp"),
    leaf("submittedOn", "Timestamp"),
];

const TIME_ENTRY_BREAK: &[Field] = &[
    leaf("id", "ID!"),
    leaf("startTime", "Timestamp!"),
    leaf("endTime", "Timestamp"),
    leaf("deletedOn", "Timestamp"),
];

const BUDGET_HOURS: &[Field] = &[
    leaf("id", "ID!"),
    leaf("cursor", "String!"),
    leaf("projectId", "ID!"),
    leaf("memberId", "ID"),
    leaf("costCodeId", "ID"),
    leaf("equipmentId", "ID"),
    leaf("budgetSeconds", "Int"),
    leaf("equipmentBudgetSeconds", "Int"),
    leaf("isLatest", "Boolean!"),
    leaf("createdOn", "Timestamp!"),
];

const BUDGET_COST: &[Field] = &[
    leaf("id", "ID!"),
    leaf("cursor", "String!"),
    leaf("projectId", "ID!"),
    leaf("memberId", "ID"),
    leaf("costCodeId", "ID"),
    leaf("equipmentId", "ID"),
    leaf("costBudget", "Float"),
    leaf("equipmentCostBudget", "Float"),
    leaf("isLatest", "Boolean!"),
    leaf("createdOn", "Timestamp!"),
];

const UUID_FILTER: &[(&str, &str)] = &[
    ("equal", "ID"),
    ("contains", "[ID!]"),
    ("isNull", "Boolean"),
];
const STRING_FILTER: &[(&str, &str)] = &[("equal", "String"), ("isNull", "Boolean")];
const INT_FILTER: &[(&str, &str)] = &[("equal", "Int")];
const BOOLEAN_FILTER: &[(&str, &str)] = &[("equal", "Boolean")];
const TIMESTAMP_FILTER: &[(&str, &str)] = &[
    ("equal", "Timestamp"),
    ("isNull", "Boolean"),
    ("greaterThan", "Timestamp"),
    ("greaterThanOrEqual", "Timestamp"),
    ("lessThan", "Timestamp"),
    ("lessThanOrEqual", "Timestamp"),
];

const PERMISSIONS: &[&str] = &[
    "manageEmployees",
    "manageProjects",
    "manageCostCode",
    "manageTimeEntries",
    "manageBudgets",
];

/// The type named `name`, if the schema has it.
pub fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "ID" | "String" | "Int" | "Float" | "Boolean" | "Timestamp" => Kind::Scalar,
        "SortOrder" => Kind::Enum(&["asc", "desc"]),
        "OperationType" => Kind::Enum(&["and", "or"]),
        "MemberPermission" => Kind::Enum(PERMISSIONS),
        "Query" => Kind::Object(QUERY),
        "Member" => Kind::Object(MEMBER),
        "Position" => Kind::Object(POSITION),
        "MemberGroup" | "ProjectGroup" | "CostCodeGroup" => Kind::Object(GROUP),
        "WageHistory" => Kind::Object(WAGE_HISTORY),
        "Project" => Kind::Object(PROJECT),
        "ProjectInfo" => Kind::Object(PROJECT_INFO),
        "CostCode" => Kind::Object(COST_CODE),
        "TimeEntry" => Kind::Object(TIME_ENTRY),
        "TimeEntryBreak" => Kind::Object(TIME_ENTRY_BREAK),
        "BudgetHours" => Kind::Object(BUDGET_HOURS),
        "BudgetCost" => Kind::Object(BUDGET_COST),
        "UuidFilter" => Kind::Input(UUID_FILTER),
        "StringFilter" => Kind::Input(STRING_FILTER),
        "IntFilter" => Kind::Input(INT_FILTER),
        "BooleanFilter" => Kind::Input(BOOLEAN_FILTER),
        "TimestampFilter" => Kind::Input(TIMESTAMP_FILTER),
        "MemberPermissionFilter" => Kind::Input(&[
            ("permissions", "[MemberPermission!]!"),
            ("operationType", "OperationType!"),
        ]),
        "MemberFilter" => Kind::Input(&[
            ("id", "UuidFilter"),
            ("memberNumber", "StringFilter"),
            ("archivedOn", "TimestampFilter"),
            ("updatedOn", "TimestampFilter"),
            ("deletedOn", "TimestampFilter"),
            ("permissions", "MemberPermissionFilter"),
        ]),
        "ProjectFilter" => Kind::Input(&[
            ("id", "UuidFilter"),
            ("parentProjectId", "UuidFilter"),
            ("depth", "IntFilter"),
            ("archivedOn", "TimestampFilter"),
            ("updatedOn", "TimestampFilter"),
        ]),
        "CostCodeFilter" => Kind::Input(&[
            ("id", "UuidFilter"),
            ("archivedOn", "TimestampFilter"),
            ("updatedOn", "TimestampFilter"),
        ]),
        "TimeEntryFilter" => Kind::Input(&[
            ("id", "UuidFilter"),
            ("memberId", "UuidFilter"),
            ("projectId", "UuidFilter"),
            ("startTime", "TimestampFilter"),
            ("endTime", "TimestampFilter"),
            ("updatedOn", "TimestampFilter"),
            ("deletedOn", "TimestampFilter"),
        ]),
        "BudgetHoursFilter" | "BudgetCostFilter" => Kind::Input(&[
            ("projectId", "UuidFilter"),
            ("memberId", "UuidFilter"),
            ("costCodeId", "UuidFilter"),
            ("isLatest", "BooleanFilter"),
            ("createdOn", "TimestampFilter"),
        ]),
        "MemberSort" => Kind::Input(&[
            ("firstName", "SortOrder"),
            ("lastName", "SortOrder"),
            ("memberNumber", "SortOrder"),
            ("createdOn", "SortOrder"),
            ("updatedOn", "SortOrder"),
        ]),
        "ProjectSort" => Kind::Input(&[
            ("title", "SortOrder"),
            ("depth", "SortOrder"),
            ("createdOn", "SortOrder"),
            ("updatedOn", "SortOrder"),
            ("projectInfo", "ProjectInfoSort"),
        ]),
        "ProjectInfoSort" => Kind::Input(&[("projectId", "SortOrder"), ("number", "SortOrder")]),
        "CostCodeSort" => Kind::Input(&[
            ("costCode", "SortOrder"),
            ("title", "SortOrder"),
            ("createdOn", "SortOrder"),
            ("updatedOn", "SortOrder"),
        ]),
        "TimeEntrySort" => Kind::Input(&[
            ("startTime", "SortOrder"),
            ("createdOn", "SortOrder"),
            ("updatedOn", "SortOrder"),
        ]),
        "BudgetHoursSort" | "BudgetCostSort" => Kind::Input(&[("createdOn", "SortOrder")]),
        _ => return None,
    })
}

/// The field `name` of object type `object`.
pub fn field(object: &str, name: &str) -> Option<&'static Field> {
    match kind(object)? {
        Kind::Object(fields) => fields.iter().find(|f| f.name == name),
        _ => None,
    }
}
