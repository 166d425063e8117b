#include "widgets/chat/sampling_panel.h"

#include "widgets/core/app_settings.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QRandomGenerator>
#include <QSpinBox>

#include <limits>

namespace aqlm::ui {

namespace {

struct Preset {
    const char* name;
    float temperature;
    int topK;
    float topP;
    float repeatPenalty;
};

// Balanced first: the default for a model seen for the first time.
const Preset kPresets[] = {
    {QT_TRANSLATE_NOOP("aqlm::ui::SamplingPanel", "Balanced"), 0.8f, 40, 0.9f, 1.1f},
    {QT_TRANSLATE_NOOP("aqlm::ui::SamplingPanel", "Greedy (deterministic)"), 0.0f, 0, 1.0f, 1.0f},
    {QT_TRANSLATE_NOOP("aqlm::ui::SamplingPanel", "Creative"), 1.0f, 0, 0.95f, 1.05f},
};

}  // namespace

SamplingPanel::SamplingPanel(QWidget* parent) : QGroupBox(tr("Sampling"), parent) {
    auto* form = new QFormLayout(this);
    m_preset = new QComboBox(this);
    for (const Preset& p : kPresets) m_preset->addItem(tr(p.name));
    m_preset->addItem(tr("Custom"));  // shown when the values match no preset
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setToolTip(tr("0 picks the most likely token every time (greedy)."));
    m_topK = new QSpinBox(this);
    m_topK->setRange(0, 100000);
    m_topK->setSpecialValueText(tr("off"));
    m_topP = new QDoubleSpinBox(this);
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setToolTip(tr("1.0 turns nucleus sampling off."));
    m_repeatPenalty = new QDoubleSpinBox(this);
    m_repeatPenalty->setRange(1.0, 3.0);
    m_repeatPenalty->setSingleStep(0.05);
    m_maxNewTokens = new QSpinBox(this);
    m_maxNewTokens->setRange(1, 32768);
    m_seed = new QSpinBox(this);
    m_seed->setRange(-1, std::numeric_limits<int>::max());
    m_seed->setSpecialValueText(tr("random"));
    form->addRow(tr("Preset"), m_preset);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Top-k"), m_topK);
    form->addRow(tr("Top-p"), m_topP);
    form->addRow(tr("Repetition penalty"), m_repeatPenalty);
    form->addRow(tr("Max new tokens"), m_maxNewTokens);
    form->addRow(tr("Seed"), m_seed);

    setValues(kPresets[0].temperature, kPresets[0].topK, kPresets[0].topP, kPresets[0].repeatPenalty, 256, -1);
    connect(m_preset, qOverload<int>(&QComboBox::activated), this, &SamplingPanel::applyPreset);
    for (QDoubleSpinBox* box : {m_temperature, m_topP, m_repeatPenalty})
        connect(box, &QDoubleSpinBox::valueChanged, this, &SamplingPanel::valuesChanged);
    for (QSpinBox* box : {m_topK, m_maxNewTokens, m_seed})
        connect(box, &QSpinBox::valueChanged, this, &SamplingPanel::valuesChanged);
}

int SamplingPanel::presetCount() const { return int(std::size(kPresets)); }
int SamplingPanel::currentPreset() const { return m_preset->currentIndex(); }

void SamplingPanel::applyPreset(int index) {
    if (index < 0 || index >= presetCount()) {
        syncPreset();
        return;
    }
    const Preset& p = kPresets[index];
    setValues(p.temperature, p.topK, p.topP, p.repeatPenalty, m_maxNewTokens->value(), m_seed->value());
}

void SamplingPanel::valuesChanged() {
    if (m_loading) return;
    syncPreset();
    save();
}

void SamplingPanel::syncPreset() {
    int match = presetCount();  // Custom
    for (int i = 0; i < presetCount(); ++i) {
        const Preset& p = kPresets[i];
        // The boxes show two decimals: compare at that precision.
        auto same = [](double shown, float preset) { return qAbs(shown - double(preset)) < 1e-3; };
        if (same(m_temperature->value(), p.temperature) && m_topK->value() == p.topK && same(m_topP->value(), p.topP) &&
            same(m_repeatPenalty->value(), p.repeatPenalty))
            match = i;
    }
    m_preset->setCurrentIndex(match);
}

void SamplingPanel::setValues(float temperature, int topK, float topP, float repeatPenalty, int maxNewTokens, int seed) {
    const bool wasLoading = m_loading;
    m_loading = true;
    m_temperature->setValue(temperature);
    m_topK->setValue(topK);
    m_topP->setValue(topP);
    m_repeatPenalty->setValue(repeatPenalty);
    m_maxNewTokens->setValue(maxNewTokens);
    m_seed->setValue(seed);
    m_loading = wasLoading;
    syncPreset();
    save();
}

void SamplingPanel::setModelPath(const QString& modelPath) {
    m_modelPath = modelPath;
    const QVariantMap saved = AppSettings::chatSampling(modelPath);
    m_loading = true;
    if (saved.isEmpty()) {
        const Preset& p = kPresets[0];
        setValues(p.temperature, p.topK, p.topP, p.repeatPenalty, 256, -1);
    } else {
        setFromMap(saved);
    }
    m_loading = false;
}

aqlm::SamplingParams SamplingPanel::params() const {
    aqlm::SamplingParams p;
    p.temperature = float(m_temperature->value());
    p.topK = m_topK->value();
    p.topP = float(m_topP->value());
    p.repeatPenalty = float(m_repeatPenalty->value());
    p.seed = m_seed->value() < 0 ? QRandomGenerator::global()->generate64() : uint64_t(m_seed->value());
    return p;
}

int SamplingPanel::maxNewTokens() const { return m_maxNewTokens->value(); }
int SamplingPanel::seed() const { return m_seed->value(); }

QVariantMap SamplingPanel::values() const {
    return {{QStringLiteral("temperature"), m_temperature->value()},
            {QStringLiteral("topK"), m_topK->value()},
            {QStringLiteral("topP"), m_topP->value()},
            {QStringLiteral("repeatPenalty"), m_repeatPenalty->value()},
            {QStringLiteral("maxNewTokens"), m_maxNewTokens->value()},
            {QStringLiteral("seed"), m_seed->value()}};
}

void SamplingPanel::setFromMap(const QVariantMap& v) {
    setValues(v.value(QStringLiteral("temperature"), 0.8).toFloat(), v.value(QStringLiteral("topK"), 40).toInt(),
              v.value(QStringLiteral("topP"), 0.9).toFloat(), v.value(QStringLiteral("repeatPenalty"), 1.1).toFloat(),
              v.value(QStringLiteral("maxNewTokens"), 256).toInt(), v.value(QStringLiteral("seed"), -1).toInt());
}

void SamplingPanel::save() {
    if (m_loading || m_modelPath.isEmpty()) return;
    AppSettings::setChatSampling(m_modelPath, values());
}

}  // namespace aqlm::ui
