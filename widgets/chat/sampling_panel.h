#pragma once
// Sampling settings of the chat page: temperature, top-k, top-p, repetition penalty, max new tokens,
// seed (-1: a fresh random seed per answer). Built-in presets fill the fields; whatever the user
// sets is remembered per model (AppSettings::chatSampling) and restored when the model is picked.
#include "engine/api/types.h"

#include <QGroupBox>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace aqlm::ui {

class SamplingPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit SamplingPanel(QWidget* parent = nullptr);

    // Saves nothing for the old model beyond what was already saved; loads the new model's values.
    void setModelPath(const QString& modelPath);

    // The seed is resolved here: "random" draws a new one on every call.
    aqlm::SamplingParams params() const;
    int maxNewTokens() const;
    int seed() const;  // -1: random

    void setValues(float temperature, int topK, float topP, float repeatPenalty, int maxNewTokens, int seed);
    void applyPreset(int index);
    int presetCount() const;
    int currentPreset() const;  // presetCount() when the values match no preset (Custom)

private:
    QVariantMap values() const;
    void setFromMap(const QVariantMap& values);
    void save();
    void valuesChanged();
    void syncPreset();  // selects the preset the values match, else Custom

    QComboBox* m_preset = nullptr;
    QDoubleSpinBox* m_temperature = nullptr;
    QSpinBox* m_topK = nullptr;
    QDoubleSpinBox* m_topP = nullptr;
    QDoubleSpinBox* m_repeatPenalty = nullptr;
    QSpinBox* m_maxNewTokens = nullptr;
    QSpinBox* m_seed = nullptr;
    QString m_modelPath;
    bool m_loading = false;
};

}  // namespace aqlm::ui
