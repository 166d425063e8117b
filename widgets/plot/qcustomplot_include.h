#pragma once
// qcustomplot.h spells Qt's lowercase keywords (signals, foreach), which QT_NO_KEYWORDS switches
// off project-wide; map them to the macro forms for this one include instead of re-enabling them.
#if !defined(signals)
#define signals Q_SIGNALS
#define AQLM_QCP_UNDEF_SIGNALS
#endif
#if !defined(foreach)
#define foreach Q_FOREACH
#define AQLM_QCP_UNDEF_FOREACH
#endif

#include <qcustomplot.h>

#ifdef AQLM_QCP_UNDEF_SIGNALS
#undef signals
#undef AQLM_QCP_UNDEF_SIGNALS
#endif
#ifdef AQLM_QCP_UNDEF_FOREACH
#undef foreach
#undef AQLM_QCP_UNDEF_FOREACH
#endif
