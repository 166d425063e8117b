#pragma once
// The window icon from the compiled-in resources (resources/aqlm-studio.qrc, linked into the
// executable): the SVG plus the rendered PNG sizes, so the icon stays sharp where no SVG icon
// engine plugin is installed and small sizes use the checked renders.
#include <QIcon>

namespace aqlm::ui {

// Null when the executable was built without resources/aqlm-studio.qrc.
QIcon appIcon();

}  // namespace aqlm::ui
