# Fuzz regressions (included from tests/CMakeLists.txt): one plain
# executable per fuzz target, its body fed every file of
# tests/data/fuzz-regress/TARGET/ (fuzz/regress_main.c).
include(${PROJECT_SOURCE_DIR}/fuzz/targets.cmake)

foreach(t ${DC_FUZZ_TARGETS})
  dc_fuzz_add(fuzz_regress_${t} ${t} ${DC_FUZZ_DIR}/regress_main.c)
  add_test(NAME fuzz_regress_${t}
           COMMAND fuzz_regress_${t} ${PROJECT_SOURCE_DIR}/tests/data/fuzz-regress/${t})
  set_tests_properties(fuzz_regress_${t} PROPERTIES LABELS "unit;fuzz" TIMEOUT 300
                       ENVIRONMENT "${DC_TEST_ENV}")
endforeach()
