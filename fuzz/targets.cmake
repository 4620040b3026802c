# The fuzz targets (fuzz/fz_NAME.c) and their sources; shared by
# fuzz/CMakeLists.txt (libFuzzer binaries) and fuzz/regress.cmake (ctest).
set(DC_FUZZ_TARGETS detect config docx textract classify sigv4 pdf image)
set(DC_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

# dc_fuzz_add(EXE TARGET [extra sources...]): EXE runs TARGET's body.
function(dc_fuzz_add exe target)
  set(srcs ${DC_FUZZ_DIR}/fz_${target}.c ${DC_FUZZ_DIR}/fuzz_common.c ${ARGN})
  set(inc ${DC_FUZZ_DIR})
  if(target STREQUAL "classify")
    list(APPEND srcs ${PROJECT_SOURCE_DIR}/tests/support/http_fixture.c)
    list(APPEND inc ${PROJECT_SOURCE_DIR}/tests/support)
  endif()
  add_executable(${exe} ${srcs})
  target_include_directories(${exe} PRIVATE ${inc})
  target_compile_options(${exe} PRIVATE ${DC_WARNINGS})
  if(target STREQUAL "classify")
    target_compile_options(${exe} PRIVATE -Wno-missing-prototypes) # the test fixture
    target_link_libraries(${exe} PRIVATE OpenSSL::SSL OpenSSL::Crypto) # the fixture serves TLS
  endif()
  target_link_libraries(${exe} PRIVATE docclass_objs)
endfunction()
