import { describe, expect, it } from "vitest";

import { bulkErrorsToCells, bulkPrepare, priceCell, stockCell } from "./gridEdits";

const MESSAGES = { price: "bad price", quantity: "bad quantity" };

describe("правки сетки цен и остатков", () => {
  it("цены и остатки становятся строками пачки с прайс-листом и складом", () => {
    const prepared = bulkPrepare({ [priceCell(7)]: "1 990,5", [stockCell(7, "msk-1")]: "12" }, "msk", MESSAGES);

    expect(prepared.invalid).toEqual({});
    expect(prepared.rows).toEqual([
      { variant_id: 7, price_list: "msk", price: "1990.5" },
      { variant_id: 7, warehouse: "msk-1", quantity: 12 },
    ]);
    expect(prepared.cells).toEqual([priceCell(7), stockCell(7, "msk-1")]);
  });

  it("неверные значения не уходят на сервер, а отмечают свою ячейку", () => {
    const prepared = bulkPrepare({ [priceCell(1)]: "12.345", [stockCell(2, "a")]: "-1", [priceCell(3)]: "10" }, "msk", MESSAGES);

    expect(prepared.invalid).toEqual({ [priceCell(1)]: "bad price", [stockCell(2, "a")]: "bad quantity" });
    expect(prepared.rows).toEqual([{ variant_id: 3, price_list: "msk", price: "10" }]);
  });

  it("ошибка сервера rows.N.поле попадает в ячейку N-й строки пачки", () => {
    const cells = [priceCell(1), stockCell(2, "a")];
    const result = bulkErrorsToCells(
      [
        { path: "rows.1.quantity", message: "Слишком много" },
        { path: "rows.0", message: "Нет прав" },
        { path: "", message: "общая" },
      ],
      cells,
    );

    expect(result).toEqual({ [stockCell(2, "a")]: "Слишком много", [priceCell(1)]: "Нет прав" });
  });
});
