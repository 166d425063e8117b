#include "widgets/bridge/engine_meta_types.h"

namespace aqlm::ui {

void registerEngineMetaTypes() {
    static const bool registered = [] {
        qRegisterMetaType<aqlm::EpochReport>("aqlm::EpochReport");
        qRegisterMetaType<aqlm::LayerReport>("aqlm::LayerReport");
        qRegisterMetaType<aqlm::CompressionOptions>("aqlm::CompressionOptions");
        qRegisterMetaType<aqlm::CompressionSummary>("aqlm::CompressionSummary");
        qRegisterMetaType<aqlm::EvalReport>("aqlm::EvalReport");
        qRegisterMetaType<aqlm::EvalRequest>("aqlm::EvalRequest");
        qRegisterMetaType<aqlm::FinetuneRequest>("aqlm::FinetuneRequest");
        qRegisterMetaType<aqlm::FinetuneStepReport>("aqlm::FinetuneStepReport");
        qRegisterMetaType<aqlm::FinetuneEvalReport>("aqlm::FinetuneEvalReport");
        qRegisterMetaType<aqlm::FinetuneSummary>("aqlm::FinetuneSummary");
        return true;
    }();
    Q_UNUSED(registered);
}

}  // namespace aqlm::ui
