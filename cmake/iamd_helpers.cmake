# iamd_library(NAME SRCS ... DEPS ...): a static library whose includes are
# rooted at src/ and include/. DEPS are explicit so that the layering of
# DESIGN.md shows in the build: a layer lists only the layers below it.
function(iamd_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# iamd_test(NAME SRCS ... DEPS ...): a GoogleTest binary registered with CTest.
function(iamd_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "IAMD_SOURCE_DIR=${PROJECT_SOURCE_DIR};IAMD_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

# iamd_bench(NAME SRCS ... DEPS ...): a Google Benchmark binary (not a test).
function(iamd_bench name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()

# iamd_fuzz(NAME SRCS ... DEPS ...): a libFuzzer target (clang only).
function(iamd_fuzz name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()
