// A small workforce for the read tests (store and app), inserted with SQL so that the
// tests depend only on the schema. Two departments, two professions; a chain
// Alice <- Bob <- Carol in D1; Dan <- Eve in D2.
//
//   id name          department profession grade post  manager clearance
//   1  Alice Boss    D1         P1         G7    -     -       -
//   2  Bob Middle    D1         P1         SEO   PO2   Alice   -
//   3  Carol Junior  D1         P2 (+P1)   EO    PO1   Bob     SC
//   4  Dan Other     D2         P2         HEO   PO3   -       DV
//   5  Eve Else      D2         P1         EO    -     Dan     -
//
// Role levels: L1 (R1, P1, EO-HEO, items I1 I2), L2 (R1, P1, SEO-G7, I1 I2 I3),
// L3 (R2, P2, HEO-SEO, I1 I2). PO4 (L2, D2) is vacant; PO1 is critical.
#pragma once

namespace pathway::store::testing {

inline constexpr const char* kWorkforceFixtureSql = R"sql(
INSERT INTO framework (id, kind) VALUES ('fw-career', 'career');
INSERT INTO framework_version (framework_id, version, title, description)
  VALUES ('fw-career', 1, 'Test career framework', '');
INSERT INTO fw_cluster (framework_id, version, id, position, title, subtitle, description)
  VALUES ('fw-career', 1, 'c1', 1, 'Skills', '', '');
INSERT INTO fw_item (framework_id, version, id, cluster_id, position, number, title, description)
  VALUES ('fw-career', 1, 'i1', 'c1', 1, 1, 'Programming', ''),
         ('fw-career', 1, 'i2', 'c1', 2, 2, 'Testing', ''),
         ('fw-career', 1, 'i3', 'c1', 3, 3, 'Architecture', '');
UPDATE framework_version SET status = 'published' WHERE framework_id = 'fw-career';
INSERT INTO department (id, code, name) VALUES (1, 'D1', 'Department One'),
  (2, 'D2', 'Department Two');
INSERT INTO unit (id, code, name, department_id) VALUES (1, 'U1', 'Unit One', 1),
  (2, 'U2', 'Unit Two', 2);
INSERT INTO location (id, code, name, region) VALUES (1, 'LOC1', 'London office', 'TLI'),
  (2, 'LOC2', 'Glasgow office', 'TLM');
INSERT INTO profession (id, code, name, description, induction, career_framework_id) VALUES
  (1, 'P1', 'Profession One', 'The first profession.', 'Welcome.

Read the framework.', 'fw-career'),
  (2, 'P2', 'Profession Two', '', '', NULL);
INSERT INTO job_family (id, profession_id, code, name) VALUES (1, 1, 'JF1', 'Family One'),
  (2, 2, 'JF2', 'Family Two');
INSERT INTO career_role (id, job_family_id, code, name) VALUES (1, 1, 'R1', 'Developer'),
  (2, 2, 'R2', 'Analyst');
INSERT INTO role_level (id, role_id, code, title, position, grade_min, grade_max) VALUES
  (1, 1, 'L1', 'Junior developer', 1, 2, 3),
  (2, 1, 'L2', 'Senior developer', 2, 4, 5),
  (3, 2, 'L3', 'Analyst', 1, 3, 4);
INSERT INTO item_ref (id, framework_id, item_id) VALUES (1, 'fw-career', 'i1'),
  (2, 'fw-career', 'i2'), (3, 'fw-career', 'i3');
INSERT INTO role_requirement (role_level_id, item_ref_id, level, weight) VALUES
  (1, 1, 2, 5), (1, 2, 1, 1), (2, 1, 3, 5), (2, 2, 3, 1), (2, 3, 2, 3), (3, 1, 2, 1), (3, 2, 2, 1);
INSERT INTO role_statement (role_level_id, kind, position, text) VALUES
  (1, 'experience', 1, 'Some coding'), (1, 'qualification', 1, 'None needed');
INSERT INTO post (id, external_id, role_level_id, unit_id, location_id, grade, clearance, critical)
  VALUES (1, 'PO1', 1, 1, 1, 2, 'SC', 1), (2, 'PO2', 2, 1, 2, 4, 'BPSS', 0),
         (3, 'PO3', 3, 2, 1, 3, 'DV', 0), (4, 'PO4', 2, 2, 2, 4, 'BPSS', 0);
INSERT INTO person (id, external_id, display_name, department, profession, line_manager_id,
                    grade, location_id, post_id, clearance_level, clearance_status,
                    clearance_granted, start_date) VALUES
  (1, 'E1', 'Alice Boss', 'D1', 'P1', NULL, 5, 1, NULL, NULL, NULL, NULL, '2010-01-04'),
  (2, 'E2', 'Bob Middle', 'D1', 'P1', 1, 4, 2, 2, NULL, NULL, NULL, '2015-06-01'),
  (3, 'E3', 'Carol Junior', 'D1', 'P2', 2, 2, 1, 1, 'SC', 'active', '2020-01-01', '2020-02-03'),
  (4, 'E4', 'Dan Other', 'D2', 'P2', NULL, 3, 2, 3, 'DV', 'active', '2019-01-01', '2018-09-10'),
  (5, 'E5', 'Eve Else', 'D2', 'P1', 4, 2, 1, NULL, NULL, NULL, NULL, '2022-11-21');
INSERT INTO person_profession (person_id, profession_id) VALUES (3, 1);
INSERT INTO profession_contact (profession_id, person_id, kind, department_id) VALUES
  (1, 1, 'head_of_profession', NULL), (1, 5, 'departmental_head', 2);
)sql";

}  // namespace pathway::store::testing
