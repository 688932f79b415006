/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `authors`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `authors` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(100) NOT NULL COMMENT 'Pen name; may contain ; and '' quotes',
  `status` enum('active','retired') NOT NULL DEFAULT 'active',
  `tags` set('poetry','prose') DEFAULT NULL,
  `bio` text,
  `updated_at` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  PRIMARY KEY (`id`),
  UNIQUE KEY `authors_name_uq` (`name`),
  FULLTEXT KEY `authors_bio_ft` (`bio`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COMMENT='People who write';
/*!40101 SET character_set_client = @saved_cs_client */;
CREATE TABLE `books` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `author_id` int(10) unsigned NOT NULL,
  `title` varchar(200) NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `books_author_fk` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `books_bi` BEFORE INSERT ON `books` FOR EACH ROW BEGIN
  SET NEW.title = TRIM(NEW.title);
END */;;
DELIMITER ;
DELIMITER //
CREATE PROCEDURE count_books(IN p_author INT, OUT p_count INT)
BEGIN
  SELECT COUNT(*) INTO p_count FROM books WHERE author_id = p_author;
END //
CREATE FUNCTION shout(p TEXT) RETURNS TEXT DETERMINISTIC
BEGIN
  RETURN UPPER(p);
END //
DELIMITER ;
