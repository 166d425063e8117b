#pragma once
// Named starting points for the settings form; every field stays editable afterwards.
#include "engine/api/quant_types.h"

#include <QList>
#include <QString>

namespace aqlm::ui {

struct CompressionPreset {
    QString name;                      // translated, shown in the combo box
    aqlm::CompressionOptions options;  // calibration files are left to the form
    // The PV-Tuning stage after compression starts switched on: 2 bits and below, where it gains most
    // (the quick test preset stays quick).
    bool pvTuningByDefault = false;
};

// In the order the combo box lists them; the first is the default.
QList<CompressionPreset> compressionPresets();

}  // namespace aqlm::ui
