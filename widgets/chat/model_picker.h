#pragma once
// A combo box over the library's models, originals first, then compressed variants (with method,
// scheme and bits), each group under a disabled heading.
#include "engine/library/model_library.h"

#include <QComboBox>

namespace aqlm::ui {

class ModelPicker : public QComboBox {
    Q_OBJECT
public:
    explicit ModelPicker(QWidget* parent = nullptr);

    // Keeps the current model selected when it is still in the library.
    void refresh(const aqlm::ModelLibrary& library);
    qint64 currentModelId() const;  // 0: none
    QString currentModelPath() const;
    QString currentModelName() const;
    bool selectModel(qint64 modelId);
    QString nameOf(qint64 modelId) const;

Q_SIGNALS:
    void modelChosen(qint64 modelId, const QString& path);
};

}  // namespace aqlm::ui
