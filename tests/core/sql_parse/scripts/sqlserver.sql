-- A hand-written SQL Server schema: GO batches, [brackets], no semicolons.
SET ANSI_NULLS ON
GO
CREATE TABLE [dbo].[Customers] (
    [CustomerId] INT IDENTITY(1,1) NOT NULL,
    [Email] NVARCHAR(255) NOT NULL,
    [Display Name] NVARCHAR(100) NULL,
    [CreatedAt] DATETIME2 NOT NULL CONSTRAINT [DF_Customers_CreatedAt] DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED ([CustomerId] ASC),
    CONSTRAINT [UQ_Customers_Email] UNIQUE NONCLUSTERED ([Email])
)
GO
CREATE TABLE [dbo].[Orders] (
    [OrderId] BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    [CustomerId] INT NOT NULL,
    [Total] DECIMAL(10, 2) NOT NULL DEFAULT 0,
    [Note] NVARCHAR(MAX) NULL
)
CREATE NONCLUSTERED INDEX [IX_Orders_CustomerId] ON [dbo].[Orders] ([CustomerId] ASC, [Total] DESC)
GO
ALTER TABLE [dbo].[Orders] WITH CHECK ADD CONSTRAINT [FK_Orders_Customers]
    FOREIGN KEY ([CustomerId]) REFERENCES [dbo].[Customers] ([CustomerId]) ON DELETE CASCADE
GO
CREATE PROCEDURE [dbo].[RecentOrders] @Days INT AS
BEGIN
    SET NOCOUNT ON;
    SELECT * FROM [dbo].[Orders];
END
GO
CREATE VIEW [dbo].[BigOrders] AS SELECT [OrderId], [Total] FROM [dbo].[Orders] WHERE [Total] > 1000
GO
GRANT SELECT ON [dbo].[Orders] TO [reporting]
GO
