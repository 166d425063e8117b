# aqlm_add_test(<name> SOURCES <files...> LIBS <targets...>)
# One Qt Test executable per unit, registered with CTest; AQLM_SHARED and AQLM_BIN reach it
# through the environment so tests can find ../shared and the built binaries.
function(aqlm_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/tests)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 1500)
  endif()
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    LABELS "${ARG_LABELS}"
    ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=1800000;AQLM_SHARED_DEFAULT=${AQLM_SHARED_DEFAULT};AQLM_BIN=${CMAKE_BINARY_DIR}/bin;QT_QPA_PLATFORM=offscreen;ASAN_OPTIONS=detect_leaks=0:detect_container_overflow=0")
endfunction()
